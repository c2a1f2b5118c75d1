"""A stand-in that plays an older iniconfig from nixpkgs. uv installs the real one from PyPI:
Python imports this copy (PYTHONPATH comes before the venv), and hybrid-env shows the uv copy as
shadowed, which is the situation the packages view is for."""
__version__ = "1.0.0"
SOURCE = "nix"
