/* Drafts of a step's form kept on this device (本机草稿). Issue #6.
 *
 * Why: an officer types a 现场检查笔录 on site on one bar of signal. If the
 * submission never reaches the server, the browser shows its own error page
 * and what was typed is gone. So while the officer types, the form's fields
 * are kept in localStorage, under the user, the case and the step; the next
 * time that step's page opens, they are put back, and the page says so.
 *
 * A draft ends when the server has taken the step: the engine's page then
 * redirects to the case with "#done-<step>" (cases/views_transition.py), and
 * this script, on every staff page, removes that step's draft. Signing out
 * removes the user's drafts (after asking), so a shared phone keeps no
 * record text of the one who left. Files are never kept here (the upload
 * queue keeps those); nor the CSRF token and the page's submission key.
 *
 * Without JavaScript, or without localStorage, the form is the plain form.
 */
(() => {
  "use strict";

  const PREFIX = "zhifa-draft:";
  const MAX_AGE_MS = 30 * 24 * 3600 * 1000; // a month-old draft is not this step's any more
  const SKIP = new Set(["csrfmiddlewaretoken", "submission_key"]);

  let storage = null;
  try {
    storage = window.localStorage;
    storage.setItem(`${PREFIX}probe`, "1");
    storage.removeItem(`${PREFIX}probe`);
  } catch (e) {
    return; // private mode or storage refused: plain forms
  }

  // The signed-in user, from the upload queue's status line that every staff
  // page carries (core/staff_base.html): drafts are kept per user.
  const line = document.querySelector("[data-upload-queue-status]");
  const user = line ? line.dataset.user : null;

  const read = (key) => {
    try {
      return JSON.parse(storage.getItem(key));
    } catch (e) {
      return null;
    }
  };
  const ownKeys = () => {
    const keys = [];
    for (let i = 0; i < storage.length; i += 1) {
      const key = storage.key(i);
      if (key && user && key.startsWith(`${PREFIX}${user}:`)) keys.push(key);
    }
    return keys;
  };

  // ---- After a step was taken: its draft is done ---------------------------

  const done = /^#done-([\w-]+)$/.exec(location.hash);
  const casePage = /\/staff\/cases\/(\d+)\//.exec(location.pathname);
  if (done && casePage && user) {
    storage.removeItem(`${PREFIX}${user}:${casePage[1]}:${done[1]}`);
    history.replaceState(null, "", location.pathname + location.search);
  }
  // Old drafts go, whatever page this is.
  for (const key of ownKeys()) {
    const draft = read(key);
    if (!draft || Date.now() - draft.savedAt > MAX_AGE_MS) storage.removeItem(key);
  }

  // ---- Signing out ----------------------------------------------------------

  const logout = document.querySelector("form[data-logout]");
  if (logout) {
    logout.addEventListener("submit", (event) => {
      const keys = ownKeys();
      if (keys.length && !confirm(`本机有 ${keys.length} 份未提交的办案表单草稿，退出后将被删除。确定退出？`)) {
        event.preventDefault();
        return;
      }
      keys.forEach((key) => storage.removeItem(key));
    });
  }

  // ---- The step's form --------------------------------------------------------

  const form = document.querySelector("form[data-draft]");
  if (!form) return;
  const key = `${PREFIX}${form.dataset.draft}`;

  const fields = () =>
    [...form.elements].filter(
      (el) => el.name && !SKIP.has(el.name) && !["file", "hidden", "submit", "button"].includes(el.type),
    );

  function collect() {
    const values = {};
    for (const el of fields()) {
      let value;
      if (el.type === "checkbox" || el.type === "radio") {
        if (!el.checked) continue;
        value = el.value;
      } else if (el.multiple) {
        (values[el.name] = values[el.name] || []).push(...[...el.selectedOptions].map((o) => o.value));
        continue;
      } else {
        value = el.value;
      }
      (values[el.name] = values[el.name] || []).push(value);
    }
    return values;
  }

  function apply(values) {
    for (const el of fields()) {
      const saved = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = saved.includes(el.value);
      } else if (el.multiple) {
        for (const option of el.options) option.selected = saved.includes(option.value);
      } else if (saved.length) {
        el.value = saved.shift();
        values[el.name] = saved; // several fields of one name take their values in turn
      }
    }
  }

  const initial = JSON.stringify(collect());
  let timer = null;

  function save() {
    clearTimeout(timer);
    const values = collect();
    if (JSON.stringify(values) === initial) {
      storage.removeItem(key); // nothing typed beyond what the page gave
      return;
    }
    try {
      storage.setItem(key, JSON.stringify({ savedAt: Date.now(), values }));
    } catch (e) {
      // Storage full: the form still works, only without a draft.
    }
  }

  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, 400);
  };
  form.addEventListener("input", later);
  form.addEventListener("change", later);
  form.addEventListener("submit", save); // kept until the server has taken the step
  window.addEventListener("pagehide", save);

  // A page the server sent back with errors holds what was just posted: it
  // wins over an older draft, which the next keystroke replaces.
  const draft = read(key);
  if (!draft || "draftBound" in form.dataset) return;
  apply(draft.values);
  const when = new Date(draft.savedAt);
  const pad = (n) => String(n).padStart(2, "0");
  const note = document.createElement("div");
  note.className = "draft-note";
  note.setAttribute("role", "status");
  const text = document.createElement("p");
  text.textContent =
    `已恢复本机保存的草稿（${when.getMonth() + 1}月${when.getDate()}日 ${pad(when.getHours())}:${pad(when.getMinutes())}）。` +
    "核对后提交；提交成功后草稿自动删除。";
  const discard = document.createElement("button");
  discard.type = "button";
  discard.textContent = "放弃草稿";
  discard.addEventListener("click", () => {
    storage.removeItem(key);
    apply(JSON.parse(initial));
    note.remove();
  });
  note.append(text, discard);
  form.before(note);
})();
