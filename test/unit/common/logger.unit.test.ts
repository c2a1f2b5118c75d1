// The channel logger keeps the engine's levels, debug and trace included, with the folder prefix.
import assert from "node:assert/strict";
import { test } from "node:test";
import { channelLogger, errorForLog } from "../../../src/common/logger";
import { UvSyncError } from "../../../src/core/errors";
import { FakeLog } from "../fakes";

test("every level reaches the channel's own level, prefixed", () => {
  const channel = new FakeLog();
  const log = channelLogger(channel, "[proj] ");
  log.info("i");
  log.warn("w");
  log.error("e");
  log.debug("nix: building…");
  log.trace("t");
  assert.deepEqual(channel.lines, ["info [proj] i", "warn [proj] w", "error [proj] e", "debug [proj] nix: building…", "trace [proj] t"]);
});

test("an engine error is logged with its detail", () => {
  assert.match(errorForLog(new UvSyncError("error: boom", "uv sync --python x")), /uv sync failed: boom.*\nuv sync --python x\nerror: boom/s);
  assert.equal(errorForLog("text"), "text");
});
