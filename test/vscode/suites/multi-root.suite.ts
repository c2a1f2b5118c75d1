// Issue 4, multi-root: two hybrid folders, each entered on its own (autoEnter = always in each
// folder's settings), each with its own environment in its own terminals.
import * as assert from "node:assert/strict";
import { runMochaSuite } from "../suite-runner";
import { folders, hybridApi, runTask, waitForState } from "./hybridApi";

export const run = () =>
  runMochaSuite(
    "multi-root: two folders, two environments",
    () => {
      test("both folders load without a prompt and get different environments", async () => {
        const api = await hybridApi();
        const [a, b] = folders();
        assert.ok(a && b, "two workspace folders");
        await waitForState(api, a, "ready");
        await waitForState(api, b, "ready");
        assert.equal(api.getEnvironment(a.uri)?.FROM_NIX, "a-value");
        assert.equal(api.getEnvironment(b.uri)?.FROM_NIX, "b-value");
        assert.notEqual(api.getEnvironment(a.uri)?.VIRTUAL_ENV, api.getEnvironment(b.uri)?.VIRTUAL_ENV);
      });

      test("each folder's terminals get that folder's environment", async () => {
        const [a, b] = folders();
        assert.equal(await runTask(a!, "check-hybrid-env"), 0, "folder a");
        assert.equal(await runTask(b!, "check-hybrid-env"), 0, "folder b");
      });
    },
    { timeoutMs: 120_000 },
  );
