"""A stand-in for a heavy package that a real project would take from nixpkgs (torch, jax)."""


def greet(name: str) -> str:
    return f"hello {name}, from a package in the Nix store"
