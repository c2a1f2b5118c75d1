{
  description = "bayesian-mpo: torch, quimb and jax from Nix; aim from PyPI through uv";

  # NixOS 25.05: its default Python is 3.12, so the binary cache has torch, quimb and jax built
  # for it. (aim's compiled dependency, aimrocks, has no wheels for Python 3.13 yet, and 3.13 is
  # the default of later releases: there python312Packages.torch would be built from source.)
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-25.05";

  outputs = { self, nixpkgs }:
    let
      systems = [ "x86_64-linux" "aarch64-linux" ];
      forAllSystems = f: nixpkgs.lib.genAttrs systems (system: f nixpkgs.legacyPackages.${system});

      # The seed's list: the heavy, compiled packages come from Nix.
      myPkgs = p: with p; [ torch quimb jax jaxlib ];
    in
    {
      devShells = forAllSystems (pkgs:
        let
          python = pkgs.python312.withPackages myPkgs;
        in
        {
          default = pkgs.mkShell {
            packages = [ python pkgs.uv ];
            shellHook = ''
              # Nix's packages in front of the venv uv makes (the seed's glue; hybrid-env applies
              # the same in VS Code and with `eval "$(hybrid-env env)"`).
              export NIX_PYTHON_SITE_PACKAGES=${python}/${python.sitePackages}
              export PYTHONPATH=$NIX_PYTHON_SITE_PACKAGES''${PYTHONPATH:+:$PYTHONPATH}
              # Wheels uv installs from PyPI (aim's aimrocks) expect libstdc++ and zlib where a
              # distribution keeps them; on Nix they are in the store.
              export LD_LIBRARY_PATH=${pkgs.lib.makeLibraryPath [ pkgs.stdenv.cc.cc.lib pkgs.zlib ]}''${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
            '';
          };
        });
    };
}
