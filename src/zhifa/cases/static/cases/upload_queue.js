/* Evidence upload queue for the phone pages (上传证据, the inline camera of an
 * on-site step such as 当场处罚). Issue #6.
 *
 * Why: an officer on site often has one bar of signal. A photo sent straight
 * from the form is lost when the connection drops, and a camera capture may
 * exist nowhere else. So each captured file is first written to the phone's
 * IndexedDB together with what was typed for it, and only then sent, one file
 * per request. It stays on the phone until the server has answered for it:
 * a dropped connection or a server error leaves it queued and it is sent
 * again later (with backoff, when the phone comes back online, and on the
 * next page load).
 *
 * Without JavaScript the form is an ordinary multipart POST and none of this
 * runs. Plain ES2017, no build step, no dependencies.
 *
 * Server contract (cases/views_evidence.py): the form's fields plus
 * `client_key`, sent with `Accept: application/json`.
 *   201  attached;
 *   200  that key already attached this file (a resend after a lost answer);
 *   4xx  refused, `message` says why in Chinese: final, never resent;
 *   5xx, no answer, or an answer that is not ours: try again later.
 */
(() => {
  "use strict";

  const forms = [...document.querySelectorAll("form[data-upload-queue]")];
  // Every staff page carries the status line (core/staff_base.html), so what
  // the phone still holds is sent from whichever page the officer is on.
  const statusLine = document.querySelector("[data-upload-queue-status]");
  if (!forms.length && !statusLine) return;
  const user = (forms[0] || statusLine).dataset.user;

  const DB_NAME = "zhifa-evidence-queue";
  const STORE = "items";
  const FIRST_RETRY_MS = 3000;
  const MAX_RETRY_MS = 5 * 60 * 1000;

  // ---- Storage ------------------------------------------------------------
  // IndexedDB survives a reload, a closed tab and a flat battery. Where it is
  // unavailable (some private modes) or full, an item is kept in memory
  // instead: it is still sent, but lost with the page, and the page says so.

  const memory = new Map();

  const dbReady = new Promise((resolve) => {
    let open;
    try {
      open = indexedDB.open(DB_NAME, 1);
    } catch (e) {
      resolve(null);
      return;
    }
    open.onupgradeneeded = () => open.result.createObjectStore(STORE, { keyPath: "id" });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => resolve(null);
    open.onblocked = () => resolve(null);
  });

  function inStore(db, mode, operation) {
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = operation(tx.objectStore(STORE));
      // Resolve on the transaction's completion, not the request's success:
      // only then is the write on disk.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error || new Error("IndexedDB"));
    });
  }

  const store = {
    async all() {
      const db = await dbReady;
      const byId = new Map();
      if (db) {
        try {
          for (const item of await inStore(db, "readonly", (s) => s.getAll())) byId.set(item.id, item);
        } catch (e) {
          // Unreadable storage: show and send what is in memory.
        }
      }
      for (const item of memory.values()) byId.set(item.id, item);
      // Another officer's files on a shared phone wait for them to sign in.
      return [...byId.values()].filter((i) => i.user === user).sort((a, b) => a.createdAt - b.createdAt);
    },
    async put(item) {
      const db = await dbReady;
      if (db && !memory.has(item.id)) {
        try {
          await inStore(db, "readwrite", (s) => s.put(item));
          return;
        } catch (e) {
          // Quota exceeded or storage refused: fall through to memory.
        }
      }
      item.volatile = true;
      memory.set(item.id, item);
    },
    async remove(id) {
      memory.delete(id);
      const db = await dbReady;
      if (db) await inStore(db, "readwrite", (s) => s.delete(id));
    },
  };

  // Ask the browser not to evict the queue under storage pressure.
  let persistAsked = false;
  function askPersistence() {
    if (persistAsked || !navigator.storage || !navigator.storage.persist) return;
    persistAsked = true;
    navigator.storage.persist().catch(() => {});
  }

  // Tell other open evidence pages that the queue changed, so they redraw.
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(DB_NAME) : null;
  if (channel) channel.onmessage = () => render();
  const changed = () => channel && channel.postMessage("changed");

  // ---- Keys and times ------------------------------------------------------

  // The idempotency key. crypto.randomUUID needs a secure context (HTTPS or
  // localhost); an intranet on plain HTTP falls back to getRandomValues.
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  const pad = (n) => String(n).padStart(2, "0");
  const localInput = (d) =>
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const clock = (iso) => {
    const d = new Date(iso);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };

  // ---- The form ------------------------------------------------------------

  function enhance(form) {
    const field = (name) => form.querySelector(`[name="${name}"]`);
    const at = field("captured_at");
    if (at && !at.value) at.value = localInput(new Date());
    locate(form, field);

    form.addEventListener("change", (event) => {
      const target = event.target;
      // A time typed by hand wins over the files' own times.
      if (target.name === "captured_at") {
        field("captured_ms").value = "";
        return;
      }
      if (target.type !== "file") return;
      // The capture time is the file's own (a camera capture is stamped when
      // taken), fixed now: a resend hours later still says when it was taken.
      const times = pickedFiles(form).map(({ file }) => file.lastModified || Date.now());
      field("captured_ms").value = times.join(",");
      if (times.length) at.value = localInput(new Date(times[0]));
    });

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      enqueue(form, field).catch((error) => alertIn(form, `未能保存到本机：${error.message || error}`));
    });
    form.querySelector("[data-queue-list]").hidden = false;
  }

  function pickedFiles(form) {
    return [...form.querySelectorAll("input[type=file]")].flatMap((input) =>
      [...input.files].map((file) => ({ input, file })),
    );
  }

  function locate(form, field) {
    const hint = form.querySelector("[data-geo]");
    if (!navigator.geolocation || !hint) return;
    hint.hidden = false;
    hint.textContent = "正在获取位置…";
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const accuracy = Math.round(pos.coords.accuracy);
        field("latitude").value = pos.coords.latitude.toFixed(6);
        field("longitude").value = pos.coords.longitude.toFixed(6);
        field("accuracy").value = accuracy;
        hint.textContent = `已记录采集位置（精度约 ${accuracy} 米）。`;
      },
      () => {
        hint.textContent = "未能获取位置（未授权或没有信号），可以不填。";
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  }

  function alertIn(form, text) {
    const box = form.querySelector("[data-queue-alert]");
    box.textContent = text;
    box.hidden = !text;
  }

  // The server's title field holds 180 characters; several files in one go
  // get "（n/N）" after the title, as the plain form does.
  function titleFor(title, n, count) {
    if (!title || count === 1) return title.slice(0, 180);
    const suffix = `（${n + 1}/${count}）`;
    return title.slice(0, 180 - suffix.length) + suffix;
  }

  async function enqueue(form, field) {
    const picked = pickedFiles(form);
    if (!picked.length) {
      alertIn(form, "请拍摄或选择至少一个文件。");
      return;
    }
    alertIn(form, "");
    const data = new FormData(form);
    const value = (name) => String(data.get(name) || "");
    const times = value("captured_ms").split(",").filter(Boolean);
    const shared = {};
    for (const name of ["kind", "step", "captured_at", "latitude", "longitude", "accuracy", "inline"]) {
      shared[name] = value(name);
    }
    const now = Date.now();
    for (const [n, { input, file }] of picked.entries()) {
      await store.put({
        id: newKey(), // also the idempotency key sent to the server
        user,
        caseId: form.dataset.case,
        caseLabel: form.dataset.caseLabel,
        url: form.action,
        field: input.name, // "camera" marks a capture on site, "files" a chosen file
        blob: file,
        name: file.name || "证据文件",
        fields: {
          ...shared,
          title: titleFor(value("title").trim(), n, picked.length),
          captured_ms: times.length === picked.length ? times[n] : "",
        },
        createdAt: now + n,
        state: "pending",
        attempts: 0,
        nextAt: 0,
        error: "",
      });
    }
    askPersistence();
    // The files are in the queue now: clear them so the next photo starts
    // fresh and sending the form again cannot queue these twice.
    for (const { input } of picked) input.value = "";
    field("title").value = "";
    field("captured_ms").value = "";
    field("captured_at").value = localInput(new Date());
    changed();
    await render();
    drain();
  }

  // ---- Sending -------------------------------------------------------------

  const uploading = new Set(); // ids being sent by this page
  const done = []; // answered this page load: { item, body }

  function csrfToken() {
    // The cookie is current even when this page is old (signed in again in
    // another tab); the form's token is the fallback.
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    const input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  const REFUSED = {
    403: "无权为本案附入证据",
    404: "案件不存在或无权查看",
    413: "文件超过服务器允许的大小",
    415: "服务器不接受该类型的文件",
  };

  // A stalled connection can hang a request for many minutes: give up and try
  // again when nothing has moved for a minute. A slow but steady one (a video
  // on one bar of signal) is never cut off, however long it takes.
  const STALL_MS = 60000;
  const ANSWER_MS = 120000; // the server hashes and stores the file after it arrives

  // XMLHttpRequest, not fetch: only it reports how much of the body has gone.
  function send(item) {
    return new Promise((resolve) => {
      const body = new FormData();
      for (const [name, value] of Object.entries(item.fields)) body.append(name, value);
      body.append("client_key", item.id);
      body.append(item.field, item.blob, item.name);
      const xhr = new XMLHttpRequest();
      let stall = null;
      const arm = (ms) => {
        clearTimeout(stall);
        stall = setTimeout(() => xhr.abort(), ms);
      };
      const lost = () =>
        resolve({ kind: "retry", message: navigator.onLine === false ? "当前没有网络" : "网络中断或服务器没有响应" });
      xhr.upload.onprogress = (event) => {
        arm(STALL_MS);
        if (event.lengthComputable) showProgress(item, event.loaded / event.total);
      };
      xhr.upload.onload = () => {
        showProgress(item, 1);
        arm(ANSWER_MS);
      };
      xhr.onerror = xhr.onabort = () => {
        clearTimeout(stall);
        lost();
      };
      xhr.onload = () => {
        clearTimeout(stall);
        // A lapsed login answers with a redirect to the login page, which
        // XMLHttpRequest follows: an answer from another address is that.
        const sentTo = new URL(item.url, location.href).pathname;
        if (xhr.responseURL && new URL(xhr.responseURL).pathname !== sentTo) {
          resolve({ kind: "wait", message: "登录已失效，请重新登录；文件仍保存在本机，登录后自动上传" });
          return;
        }
        let response;
        try {
          const type = xhr.getResponseHeader("Content-Type") || "";
          response = new Response(xhr.responseText, { status: xhr.status, headers: { "Content-Type": type } });
        } catch (e) {
          lost(); // a status no Response can hold: not our answer
          return;
        }
        judge(response).then(resolve, lost);
      };
      xhr.open("POST", item.url);
      xhr.setRequestHeader("Accept", "application/json");
      xhr.setRequestHeader("X-CSRFToken", csrfToken());
      arm(STALL_MS);
      xhr.send(body);
    });
  }

  // How much of each file being sent has gone, redrawn a few times a second.
  const progress = new Map();
  let progressDrawn = 0;
  function showProgress(item, fraction) {
    progress.set(item.id, fraction);
    const now = Date.now();
    if (fraction >= 1 || now - progressDrawn > 250) {
      progressDrawn = now;
      render();
    }
  }

  async function judge(response) {
    const status = response.status;
    if (status === 401) {
      return { kind: "wait", message: "登录已失效，请重新登录；文件仍保存在本机，登录后自动上传" };
    }
    let body = null;
    if ((response.headers.get("Content-Type") || "").includes("application/json")) {
      body = await response.json().catch(() => null);
    }
    if (status >= 500 || status === 408 || status === 429) {
      return { kind: "retry", message: `服务器暂时不能处理（HTTP ${status}）` };
    }
    if (!body) {
      if (response.ok) {
        // Not our answer: a Wi-Fi sign-in page or a proxy. Try again later.
        return { kind: "retry", message: "网络返回了意外的页面（可能需要先登录无线网络）" };
      }
      if (status === 403) {
        // Django's CSRF page: this page's session is no longer the current one.
        return { kind: "wait", message: "页面已过期或登录已失效，请刷新页面或重新登录；文件仍保存在本机" };
      }
      return { kind: "refused", message: REFUSED[status] || `服务器拒绝了该文件（HTTP ${status}）` };
    }
    if (response.ok && body.ok) return { kind: "done", body };
    return { kind: "refused", message: body.message || REFUSED[status] || `HTTP ${status}` };
  }

  const backoff = (attempts) =>
    Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (attempts - 1)) * (0.8 + Math.random() * 0.4);

  async function attempt(item) {
    uploading.add(item.id);
    await render();
    const result = await send(item);
    uploading.delete(item.id);
    progress.delete(item.id);
    if (result.kind === "done") {
      await store.remove(item.id);
      done.push({ item, body: result.body });
      showAttached(item, result.body.evidence);
    } else if (result.kind === "refused") {
      item.state = "refused";
      item.error = result.message;
      await store.put(item);
    } else {
      // "retry": backoff. "wait" (signed out): slowly, until a page load or
      // the network coming back tries it at once.
      item.attempts += 1;
      item.error = result.message;
      item.nextAt = Date.now() + (result.kind === "wait" ? MAX_RETRY_MS : backoff(item.attempts));
      await store.put(item);
    }
    changed();
    await render();
  }

  let draining = false;
  let timer = null;

  async function drain() {
    if (draining) return;
    draining = true;
    try {
      // One page at a time sends (Web Locks where available): two open pages
      // would otherwise send the same file at once. The key makes that
      // harmless, but a bad connection has no bandwidth to spare.
      if (navigator.locks) {
        await navigator.locks.request(DB_NAME, { ifAvailable: true }, (lock) => lock && sendDue());
      } else {
        await sendDue();
      }
    } finally {
      draining = false;
      schedule();
    }
  }

  // One file at a time, oldest first: on a weak signal parallel uploads only
  // make each other time out.
  async function sendDue() {
    for (;;) {
      if (navigator.onLine === false) return; // the "online" event calls drain()
      const items = await store.all();
      const due = items.find((i) => i.state === "pending" && i.nextAt <= Date.now() && !uploading.has(i.id));
      if (!due) return;
      await attempt(due);
    }
  }

  async function schedule() {
    clearTimeout(timer);
    if (navigator.onLine === false) return; // the "online" event calls drain()
    const waiting = (await store.all()).filter((i) => i.state === "pending");
    if (!waiting.length) return;
    const next = Math.min(...waiting.map((i) => i.nextAt));
    timer = setTimeout(drain, Math.max(1000, next - Date.now()));
  }

  async function retryNow() {
    for (const item of await store.all()) {
      if (item.state === "pending" && item.nextAt > Date.now()) {
        item.nextAt = 0;
        await store.put(item);
      }
    }
    drain();
  }

  // ---- What the officer sees ----------------------------------------------

  // On a step's page, a file attached to this step joins "本环节已附入".
  function showAttached(item, evidence) {
    if (!evidence) return;
    for (const form of forms) {
      const step = form.querySelector("[name=step]");
      if (!("inline" in form.dataset) || form.dataset.case !== item.caseId) continue;
      if (!step || step.value !== evidence.step) continue;
      const section = form.closest("section") || form.parentElement;
      let list = section.querySelector("[data-attached]");
      if (!list) {
        const head = el("p", "", "本环节已附入：");
        list = el("ul", "plain attached");
        list.dataset.attached = "";
        const empty = section.querySelector("[data-attached-empty]");
        if (empty) empty.replaceWith(head, list);
        else form.before(head, list);
      }
      const notes = [evidence.kind_label];
      if (evidence.is_recording) notes.push("录音录像");
      if (evidence.captured_at) notes.push(clock(evidence.captured_at));
      const li = el("li", "", `${evidence.title} `);
      li.append(el("span", "muted", notes.join(" · ")));
      list.append(li);
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(text, onClick) {
    const b = el("button", "", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }

  let objectUrls = [];

  function row(form, entry) {
    const { item, state, detail } = entry;
    const li = el("li", `queue-item is-${state}`);
    li.append(el("span", "queue-name", item.fields.title || item.name));
    if (item.caseId !== form.dataset.case) li.append(el("span", "queue-case", `案件 ${item.caseLabel}`));
    const words = {
      pending: "待上传",
      uploading: "上传中",
      done: "已上传",
      refused: `失败：${item.error}`,
    };
    li.append(el("strong", "queue-state", words[state]));
    if (detail) li.append(el("span", "queue-detail", detail));
    if (state === "uploading" && entry.fraction !== undefined) {
      const bar = el("progress", "queue-progress");
      bar.max = 100;
      bar.value = Math.floor(entry.fraction * 100);
      bar.textContent = `${bar.value}%`;
      li.append(bar);
    }
    const actions = el("div", "queue-actions");
    if (state === "pending") {
      actions.append(button("立即重试", retryNow));
    } else if (state === "refused") {
      // The capture may exist nowhere else: offer to keep a copy first.
      const url = URL.createObjectURL(item.blob);
      objectUrls.push(url);
      const save = el("a", "button", "保存到手机");
      save.href = url;
      save.download = item.name;
      actions.append(
        save,
        button("放弃此项", async () => {
          await store.remove(item.id);
          changed();
          render();
        }),
      );
    } else if (state === "done" && entry.url) {
      const view = el("a", "button", "查看");
      view.href = entry.url;
      actions.append(view);
    }
    if (actions.childElementCount) li.append(actions);
    return li;
  }

  function entries(items) {
    const list = done.map(({ item, body }) => ({
      item,
      state: "done",
      detail: body.message,
      url: body.evidence && body.evidence.url,
    }));
    for (const item of items) {
      if (uploading.has(item.id)) {
        const fraction = progress.get(item.id);
        const detail =
          fraction === undefined
            ? "正在发送，请保持网络连接"
            : fraction >= 1
              ? "已发送，等待服务器确认"
              : `已发送 ${Math.floor(fraction * 100)}%，请保持网络连接`;
        list.push({ item, state: "uploading", detail, fraction });
      } else if (item.state === "refused") {
        list.push({ item, state: "refused", detail: "服务器已拒收，不会再上传。" });
      } else {
        const why = item.error ? `${item.error}；` : "";
        const tries = item.attempts ? `（已尝试 ${item.attempts} 次）` : "";
        const keep = item.volatile
          ? "本机无法暂存此文件，上传完成前请不要关闭本页。"
          : "已保存在本机，恢复网络后自动上传。";
        list.push({ item, state: "pending", detail: `${why}${keep}${tries}` });
      }
    }
    return list;
  }

  let unsent = false;

  // Draws run one after another, so a slow read of the store never paints
  // over a newer state.
  let drawing = Promise.resolve();
  function render() {
    drawing = drawing.then(draw, draw);
    return drawing;
  }

  async function draw() {
    const items = await store.all();
    for (const url of objectUrls) URL.revokeObjectURL(url);
    objectUrls = [];
    const all = entries(items);
    unsent = items.some((i) => i.volatile && i.state === "pending");
    if (statusLine) drawStatus(items);
    for (const form of forms) {
      const box = form.querySelector("[data-queue-list]");
      const children = [];
      if (navigator.onLine === false) {
        children.push(el("p", "queue-offline", "当前没有网络：文件已保存在本机，恢复网络后自动上传。"));
      }
      if (all.length) {
        const waiting = items.filter((i) => i.state === "pending").length;
        children.push(el("h3", "queue-title", waiting ? `上传队列（${waiting} 个待上传）` : "上传队列"));
        const ul = el("ul", "queue-list");
        ul.append(...all.map((entry) => row(form, entry)));
        children.push(ul);
      }
      box.replaceChildren(...children);
    }
  }

  const sentShare = (item) => {
    const fraction = progress.get(item.id);
    return fraction === undefined ? "" : `，已发送 ${Math.floor(fraction * 100)}%`;
  };

  // On a page without an evidence form: one line saying what the phone still
  // holds, with a link to the evidence page where each file is listed.
  function drawStatus(items) {
    const waiting = items.filter((i) => i.state === "pending");
    const refused = items.filter((i) => i.state === "refused");
    const sent = done.length;
    if (forms.length || !(waiting.length || refused.length || sent)) {
      statusLine.hidden = true;
      statusLine.replaceChildren();
      return;
    }
    const parts = [];
    if (waiting.length) {
      const now = waiting.find((i) => uploading.has(i.id));
      parts.push(
        now
          ? `证据文件上传中：${now.fields.title || now.name}${sentShare(now)}（共 ${waiting.length} 个待上传）`
          : navigator.onLine === false
            ? `本机有 ${waiting.length} 个证据文件待上传，当前没有网络，恢复后自动上传`
            : `本机有 ${waiting.length} 个证据文件待上传`,
      );
    }
    if (refused.length) parts.push(`${refused.length} 个被服务器拒收`);
    if (sent) parts.push(`本页已上传 ${sent} 个`);
    const line = el("p", "", `${parts.join("；")}。`);
    const first = refused[0] || waiting[0];
    const children = [line];
    if (first) {
      const open = el("a", "", first.caseLabel ? `查看上传队列（案件 ${first.caseLabel}）` : "查看上传队列");
      open.href = first.url;
      line.append(" ", open);
      if (waiting.length) line.append(" ", button("立即重试", retryNow));
    }
    statusLine.className = `upload-queue-status${refused.length ? " has-refused" : waiting.length ? " has-waiting" : " is-done"}`;
    statusLine.replaceChildren(...children);
    statusLine.hidden = false;
  }

  // ---- Start ---------------------------------------------------------------

  forms.forEach(enhance);
  window.addEventListener("online", () => {
    render();
    retryNow();
  });
  window.addEventListener("offline", () => render());
  // Phones throttle timers in background tabs: try again when looked at.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") drain();
  });
  window.addEventListener("beforeunload", (event) => {
    if (!unsent) return;
    event.preventDefault();
    event.returnValue = "";
  });
  // Whatever an earlier page left queued is sent now.
  render().then(retryNow);
})();
