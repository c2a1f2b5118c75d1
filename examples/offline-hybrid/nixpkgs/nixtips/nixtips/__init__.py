"""A package of the example's Nix package set that is not in the myPkgs list at first.

Add it with "Hybrid Env: Add Nix Package…" (or `hybrid-env add-nix-package nixtips`), then in a
new terminal: `python -c "import nixtips; print(nixtips.tip())"`.
"""

__version__ = "0.2"


def tip() -> str:
    return "nixtips came from the Nix package set, added to myPkgs in flake.nix"
