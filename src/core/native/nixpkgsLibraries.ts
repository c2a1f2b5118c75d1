// Which nixpkgs attribute provides a shared library that PyPI wheels commonly need but do not
// bundle. Curated by hand, small on purpose: the names were checked against nixpkgs (gcc's `lib`
// output holds libstdc++, libgcc_s and libgomp; `lib.makeLibraryPath` picks a package's `lib`
// output by itself; the xorg.* names still resolve after nixpkgs renamed them to lower case).
// Anything else gets the generic advice (nix-locate), never a guess.

export interface NixpkgsProvider {
  /** The attribute under `pkgs`, as written in a flake: "zlib", "stdenv.cc.cc.lib". */
  readonly attribute: string;
  /** Said next to the fix when the attribute alone would mislead. */
  readonly note?: string;
  /** Not a nixpkgs library: provided by the machine (the GPU driver). */
  readonly fromDriver?: boolean;
}

const GCC = "stdenv.cc.cc.lib";
const GFORTRAN = "gfortran.cc.lib";

/** By soname without its version suffix ("libz.so" for libz.so.1). */
const BY_STEM: Readonly<Record<string, NixpkgsProvider>> = {
  "libz.so": { attribute: "zlib" },
  "libstdc++.so": { attribute: GCC },
  "libgcc_s.so": { attribute: GCC },
  "libgomp.so": { attribute: GCC, note: "gcc's OpenMP runtime, in gcc's lib output" },
  "libatomic.so": { attribute: GCC },
  "libquadmath.so": { attribute: GFORTRAN },
  "libgfortran.so": { attribute: GFORTRAN },
  "libGL.so": { attribute: "libGL" },
  "libEGL.so": { attribute: "libGL" },
  "libGLX.so": { attribute: "libGL" },
  "libOpenGL.so": { attribute: "libGL" },
  "libGLU.so": { attribute: "libGLU" },
  "libglib-2.0.so": { attribute: "glib" },
  "libgobject-2.0.so": { attribute: "glib" },
  "libgthread-2.0.so": { attribute: "glib" },
  "libgio-2.0.so": { attribute: "glib" },
  "libgmodule-2.0.so": { attribute: "glib" },
  "libX11.so": { attribute: "xorg.libX11", note: "libx11 in recent nixpkgs" },
  "libX11-xcb.so": { attribute: "xorg.libX11", note: "libx11 in recent nixpkgs" },
  "libXext.so": { attribute: "xorg.libXext" },
  "libXrender.so": { attribute: "xorg.libXrender" },
  "libXi.so": { attribute: "xorg.libXi" },
  "libXrandr.so": { attribute: "xorg.libXrandr" },
  "libXcursor.so": { attribute: "xorg.libXcursor" },
  "libXfixes.so": { attribute: "xorg.libXfixes" },
  "libXinerama.so": { attribute: "xorg.libXinerama" },
  "libSM.so": { attribute: "xorg.libSM" },
  "libICE.so": { attribute: "xorg.libICE" },
  "libxcb.so": { attribute: "xorg.libxcb" },
  "libxkbcommon.so": { attribute: "libxkbcommon" },
  "libfontconfig.so": { attribute: "fontconfig" },
  "libfreetype.so": { attribute: "freetype" },
  "libdbus-1.so": { attribute: "dbus" },
  "libffi.so": { attribute: "libffi" },
  "libssl.so": { attribute: "openssl" },
  "libcrypto.so": { attribute: "openssl" },
  "libexpat.so": { attribute: "expat" },
  "libuuid.so": { attribute: "libuuid" },
  "libbz2.so": { attribute: "bzip2" },
  "liblzma.so": { attribute: "xz" },
  "libzstd.so": { attribute: "zstd" },
  "libsqlite3.so": { attribute: "sqlite" },
  "libxml2.so": { attribute: "libxml2" },
  "libpng16.so": { attribute: "libpng" },
  "libjpeg.so": { attribute: "libjpeg" },
  "libasound.so": { attribute: "alsa-lib" },
  "libnuma.so": { attribute: "numactl" },
  "libopenblas.so": { attribute: "openblas" },
  "libncursesw.so": { attribute: "ncurses" },
  "libreadline.so": { attribute: "readline" },
  "libcuda.so": {
    attribute: "",
    fromDriver: true,
    note: "the NVIDIA driver provides it, not nixpkgs: on NixOS /run/opengl-driver/lib (hardware.graphics / hardware.opengl); elsewhere the system's driver",
  },
  "libnvidia-ml.so": { attribute: "", fromDriver: true, note: "the NVIDIA driver provides it, not nixpkgs" },
};

/** The provider of a soname such as "libz.so.1" or "libstdc++.so.6.0.30", if curated. */
export function nixpkgsProviderOf(soname: string): NixpkgsProvider | undefined {
  const stem = /^(.+?\.so)(\.[0-9.]+)?$/.exec(soname)?.[1];
  return stem ? BY_STEM[stem] : undefined;
}
