// A search's answer drawn in the frame the key was typed in (crates/protocol/src/handoff.rs).
// Served with the cross-origin isolation headers (the tests' server, `trunk serve`, and any host
// the README's "Hosting it" describes), the page waits for the worker's answer in shared memory,
// so the count changes before the page runs any other task: in the frame of the key, whenever
// the worker answers within it. Served without them, the same answers come as messages.

import assert from "node:assert/strict";
import { after, test } from "node:test";
import { assertClean, open, waitForCount } from "./harness.mjs";

const QUERIES = ["has:image", "the", "-has:media", "#fediverse OR #rust", "lang:de", "during:2023", "\"the\"", "has:poll", ""];

const sessions = [];
after(async () => {
  for (const s of sessions) await s.close();
});

/** Opens the sample archive on a server with or without the isolation headers. */
async function sample(isolated) {
  const session = await open({ isolated });
  sessions.push(session);
  await session.page.getByTestId("sample").click();
  await session.app.opened();
  await waitForCount(session.page, "300 posts");
  return session;
}

/**
 * Types each query as one input event, and says for each whether the count changed before the
 * page ran its next task (a message posted to a MessageChannel right after the key), and the
 * count it then showed.
 */
function typeEach(page) {
  return page.evaluate(async (queries) => {
    const box = document.querySelector('[data-testid="search"]');
    const count = document.querySelector('[data-testid="count"]');
    const seen = [];
    for (const query of queries) {
      const before = count.getAttribute("data-search");
      let taskRan = false;
      const changed = new Promise((done) => {
        const observer = new MutationObserver(() => {
          if (count.getAttribute("data-search") === before) return;
          observer.disconnect();
          done(!taskRan);
        });
        observer.observe(count, { attributes: true, attributeFilter: ["data-search"] });
      });
      const channel = new MessageChannel();
      channel.port1.onmessage = () => (taskRan = true);
      box.value = query;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      channel.port2.postMessage(0);
      const inTask = await changed;
      channel.port1.close();
      // The count's text follows its attribute in the same update.
      seen.push({ query, inTask, count: count.textContent });
    }
    return seen;
  }, QUERIES);
}

test("cross-origin isolated, each search's count is there before the page's next task", async () => {
  const session = await sample(true);
  assert.equal(await session.page.evaluate(() => crossOriginIsolated), true, "the server sends COOP and COEP");
  const seen = await typeEach(session.page);
  assert.deepEqual(
    seen.filter((s) => !s.inTask).map((s) => s.query),
    [],
    "every answer was handed over in the key's own task",
  );
  assert.equal(seen.at(-1).count, "300 posts");
  assert.notEqual(seen[0].count, "300 posts");
  assertClean(assert, session);
  sessions.isolated = seen;
});

test("without the isolation headers, the same answers come as messages", async () => {
  const session = await sample(false);
  assert.equal(await session.page.evaluate(() => crossOriginIsolated), false);
  const seen = await typeEach(session.page);
  assert.deepEqual(
    seen.filter((s) => s.inTask).map((s) => s.query),
    [],
    "no shared memory: every answer came in a task of its own",
  );
  assert.deepEqual(
    seen.map((s) => [s.query, s.count]),
    sessions.isolated.map((s) => [s.query, s.count]),
    "the same counts either way",
  );
  // Reading goes on as before: a post opens from the results.
  await session.page.getByTestId("search").fill("has:image");
  await waitForCount(session.page, seen[0].count);
  await session.page.getByTestId("post").first().waitFor();
  assertClean(assert, session);
});
