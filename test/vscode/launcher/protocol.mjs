// The launcher's view of ../protocol.json (read as text: JSON imports warn on Node 20).
import { readFileSync } from "node:fs";

export const protocol = JSON.parse(readFileSync(new URL("../protocol.json", import.meta.url), "utf8"));
