{
  description = "hybrid-env example: Nix provides Python and some packages, uv the rest (offline)";

  # No inputs: everything comes from this folder, so the example needs no binary cache.
  outputs = { self }:
    let
      system = "x86_64-linux";
      # The project's own little package set, laid out as nixpkgs lays out Python packages.
      # nixtips is in the set but not in myPkgs: add it with "Hybrid Env: Add Nix Package…".
      pythonPackages = {
        nixgreet = ./nixpkgs/nixgreet;
        iniconfig = ./nixpkgs/iniconfig;
        nixtips = ./nixpkgs/nixtips;
      };
      # As in the seed: the list of Python packages taken from Nix.
      myPkgs = p: with p; [ nixgreet iniconfig ];
      sitePackages = builtins.concatStringsSep ":" (map toString (myPkgs pythonPackages));
    in
    {
      devShells.${system}.default = derivation {
        name = "offline-hybrid-shell";
        inherit system;
        builder = "/bin/bash";
        outputs = [ "out" ];
        args = [ "-c" "echo > $out" ];
        PATH = "${./python}/bin";
        EXAMPLE_GREETING = "set by the Nix devShell";
        # The glue users write by hand today: Nix's packages on PYTHONPATH.
        shellHook = ''
          export NIX_PYTHON_SITE_PACKAGES=${sitePackages}
          export PYTHONPATH=$NIX_PYTHON_SITE_PACKAGES''${PYTHONPATH:+:$PYTHONPATH}
        '';
      };
    };
}
