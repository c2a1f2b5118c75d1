"""Run me after entering the hybrid environment: `python main.py` in a VS Code terminal, or
`nix develop -c uv run python main.py` by hand. Prints each package's version and where it came from."""
import os
import sys
from importlib.metadata import version

import aim
import jax
import jax.numpy as jnp
import quimb
import quimb.tensor as qtn
import torch


def origin(module) -> str:
    path = os.path.dirname(module.__file__)
    if path.startswith("/nix/store/"):
        return "Nix"
    return "uv (.venv)" if f"{os.sep}.venv{os.sep}" in path else path


print(f"python {sys.version.split()[0]} ({sys.executable})")
for module, dist in ((torch, "torch"), (quimb, "quimb"), (jax, "jax"), (aim, "aim")):
    print(f"{dist:6} {version(dist):14} from {origin(module)}")

# One line each to show they work, not only import.
mps = qtn.MPS_rand_state(L=8, bond_dim=4)
print("quimb: <psi|psi> of a random MPS (L=8, D=4) =", round(float(mps.H @ mps), 6))
print("jax:   sum of squares 0..9 =", int(jnp.sum(jnp.arange(10) ** 2)), "on", jax.devices()[0].platform)
print("torch: det [[2, 1], [1, 3]] =", round(torch.linalg.det(torch.tensor([[2.0, 1.0], [1.0, 3.0]])).item(), 6))
