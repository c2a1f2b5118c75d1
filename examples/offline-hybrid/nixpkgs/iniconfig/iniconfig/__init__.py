"""A stand-in that plays an older iniconfig from nixpkgs. Python imports this copy (PYTHONPATH comes
before the venv), so uv does not install the real one from PyPI; as 1.0.0 does not satisfy the
project's iniconfig>=2, hybrid-env warns and offers to let uv install its own (shadowed) copy."""
__version__ = "1.0.0"
SOURCE = "nix"
