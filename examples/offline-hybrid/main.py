"""Run me in a terminal of VS Code after entering the hybrid environment: `python main.py`."""
import os

import iniconfig
import nixgreet
import packaging

print(nixgreet.greet("hybrid-env"))
print("packaging", packaging.__version__, "from", os.path.dirname(packaging.__file__))
print("iniconfig", iniconfig.__version__, "from", os.path.dirname(iniconfig.__file__))
print("EXAMPLE_GREETING =", os.environ.get("EXAMPLE_GREETING"))
