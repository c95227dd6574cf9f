// Generated archives for the end-to-end tests that need size (scale, failure drills).

import { closeSync, openSync, writeSync } from "node:fs";

const WORDS = "river coffee train morning cat rust garden winter light music book city".split(" ");

/** Writes an outbox.json of `n` posts, with varied lengths, tags, replies and warnings. */
export function writeOutbox(path, n) {
  const fd = openSync(path, "w");
  writeSync(fd, '{"@context":"https://www.w3.org/ns/activitystreams","type":"OrderedCollection","orderedItems":[');
  const start = Date.UTC(2017, 0, 1) / 1000;
  let chunk = [];
  for (let i = 0; i < n; i++) {
    const words = [];
    for (let w = 0; w < 6 + (i * 7) % 40; w++) words.push(WORDS[(i * 31 + w * 17) % WORDS.length]);
    const tag = i % 5 === 0 ? ` <a href="https://big.example/tags/t${i % 50}" class="mention hashtag">#<span>t${i % 50}</span></a>` : "";
    const id = `https://big.example/users/u/statuses/${i}`;
    const time = new Date((start + i * 600) * 1000).toISOString().replace(".000", "");
    const object = {
      id,
      type: "Note",
      published: time,
      to: ["https://www.w3.org/ns/activitystreams#Public"],
      content: `<p>Post ${i}: ${words.join(" ")}${tag}</p>`,
      contentMap: { en: "" },
      ...(i % 9 === 0 && i > 0 ? { inReplyTo: `https://big.example/users/u/statuses/${i - 1}` } : {}),
      ...(i % 13 === 0 ? { summary: "long post" } : {}),
    };
    chunk.push(JSON.stringify({ id: `${id}/activity`, type: "Create", actor: "https://big.example/users/u", published: time, to: object.to, object }));
    if (chunk.length === 5000 || i === n - 1) {
      writeSync(fd, (i >= chunk.length ? "," : "") + chunk.join(","));
      chunk = [];
    }
  }
  writeSync(fd, "]}");
  closeSync(fd);
}

