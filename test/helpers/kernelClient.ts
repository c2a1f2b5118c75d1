// The Jupyter front end both kernel tests drive (realClients.test.ts and the VS Code suites'
// jupyterClient.ts): the real jupyter_client, run as `python -c KERNEL_CLIENT_PY KERNEL_NAME` with
// the code on stdin. It prints one JSON line: status, output, the spec's display_name, or
// status "no-such-kernel" with the names it found.
export const JUPYTER_CLIENT = "jupyter-client==8.10.0";

export const KERNEL_CLIENT_PY = `
import json, sys
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel
specs = KernelSpecManager().get_all_specs()
name = sys.argv[1]
if name not in specs:
    print(json.dumps({"status": "no-such-kernel", "output": ", ".join(sorted(specs))})); sys.exit(0)
km, kc = start_new_kernel(kernel_name=name, startup_timeout=90)
out = []
def hook(msg):
    if msg["msg_type"] == "stream": out.append(msg["content"]["text"])
    if msg["msg_type"] == "error": out.append(msg["content"]["ename"] + ": " + msg["content"]["evalue"])
try:
    reply = kc.execute_interactive(sys.stdin.read(), timeout=90, output_hook=hook)
    print(json.dumps({"status": reply["content"]["status"], "output": "".join(out), "display_name": specs[name]["spec"]["display_name"]}))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
`;
