// cnbudget web: small progressive enhancements; every page works without them.
"use strict";

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : "";
}

// ---- evidence loaded when a finding's details open ----
function loadEvidence(details) {
  if (details.dataset.loaded) return;
  details.dataset.loaded = "1";
  const slot = details.querySelector(".evidence-slot");
  fetch(details.dataset.src, { headers: { "X-Fragment": "1" }, credentials: "same-origin" })
    .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
    .then((html) => { slot.innerHTML = html; slot.querySelectorAll("figure.page").forEach(showFirstBox); })
    .catch(() => { slot.textContent = "证据加载失败，请刷新页面重试。"; delete details.dataset.loaded; });
}

document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (details.tagName === "DETAILS" && details.open && details.dataset.src) loadEvidence(details);
}, true);

// ---- the page image opens on the boxed cells ----
function showFirstBox(figure) {
  const svg = figure.querySelector("svg");
  const box = figure.querySelector("rect.box");
  const frame = figure.querySelector(".page-frame");
  if (!svg || !box || !frame) return;
  const height = svg.viewBox.baseVal.height;
  const y = parseFloat(box.getAttribute("y"));
  requestAnimationFrame(() => { frame.scrollTop = Math.max(0, (y / height) * svg.clientHeight - frame.clientHeight / 3); });
}

// ---- zoom the page image ----
document.addEventListener("click", (event) => {
  const button = event.target.closest("button.zoom");
  if (!button) return;
  const figure = button.closest("figure.page");
  const zoom = Math.min(6, Math.max(0.5, parseFloat(figure.dataset.zoom || "1") * parseFloat(button.dataset.step)));
  figure.dataset.zoom = String(zoom);
  figure.style.setProperty("--zoom", String(zoom));
});

// ---- keyboard: j / k between findings, Enter opens the evidence ----
document.addEventListener("keydown", (event) => {
  const tag = (event.target.tagName || "").toLowerCase();
  if (["input", "textarea", "select"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
  const findings = Array.from(document.querySelectorAll("article.finding"));
  if (!findings.length) return;
  const current = findings.indexOf(document.activeElement.closest ? document.activeElement.closest("article.finding") : null);
  let next = null;
  if (event.key === "j") next = findings[Math.min(findings.length - 1, current + 1)];
  if (event.key === "k") next = findings[Math.max(0, current < 0 ? 0 : current - 1)];
  if (next) {
    event.preventDefault();
    next.focus();
    next.scrollIntoView({ block: "center" });
    history.replaceState(null, "", "#" + next.id);
  }
  if (event.key === "Enter" && current >= 0 && document.activeElement === findings[current]) {
    const details = findings[current].querySelector("details");
    if (details) { details.open = !details.open; event.preventDefault(); }
  }
});

// ---- upload: drag and drop, then live progress ----
function showProgress(list, uploads) {
  list.innerHTML = "";
  for (const u of uploads) {
    const li = document.createElement("li");
    li.dataset.upload = u.id;
    li.textContent = u.filename + " — " + u.status_label + (u.message ? "：" + u.message : "");
    if (u.document_id) {
      const a = document.createElement("a");
      a.href = "/documents/" + u.document_id;
      a.textContent = " 查看";
      li.appendChild(a);
    }
    list.appendChild(li);
  }
}

function poll(ids, render, done) {
  fetch("/api/v1/uploads?ids=" + ids.join(","), { credentials: "same-origin" })
    .then((r) => r.json())
    .then((body) => {
      render(body.uploads);
      if (body.uploads.some((u) => !u.finished)) setTimeout(() => poll(ids, render, done), 1000);
      else if (done) done(body.uploads);
    })
    .catch(() => setTimeout(() => poll(ids, render, done), 3000));
}

function sendFiles(files) {
  const list = document.getElementById("progress");
  const data = new FormData();
  for (const f of files) data.append("files", f, f.name);
  list.innerHTML = "<li>正在上传 " + files.length + " 个文件…</li>";
  fetch("/api/v1/uploads", { method: "POST", body: data, credentials: "same-origin",
                             headers: { "X-CSRF-Token": csrfToken() } })
    .then((r) => r.json().then((body) => ({ ok: r.ok, body })))
    .then(({ ok, body }) => {
      if (!ok) { list.innerHTML = ""; const li = document.createElement("li"); li.className = "alert"; li.textContent = body.error.message; list.appendChild(li); return; }
      for (const r of body.refused || []) { const li = document.createElement("li"); li.className = "alert"; li.textContent = r.message; list.appendChild(li); }
      const ids = body.uploads.map((u) => u.id);
      if (ids.length) poll(ids, (uploads) => showProgress(list, uploads));
    })
    .catch(() => { list.innerHTML = "<li class='alert'>上传失败：网络中断或服务器无响应。</li>"; });
}

document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("upload");
  if (form) {
    const drop = document.getElementById("drop");
    const input = document.getElementById("files");
    ["dragenter", "dragover"].forEach((name) => drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.add("over"); }));
    ["dragleave", "drop"].forEach((name) => drop.addEventListener(name, (e) => { e.preventDefault(); drop.classList.remove("over"); }));
    drop.addEventListener("drop", (e) => { if (e.dataTransfer.files.length) sendFiles(e.dataTransfer.files); });
    form.addEventListener("submit", (e) => { e.preventDefault(); if (input.files.length) sendFiles(input.files); });
  }
  const table = document.getElementById("uploads");
  if (table && table.dataset.poll === "yes" && table.dataset.ids) {
    poll(table.dataset.ids.split(",").map(Number), (uploads) => {
      for (const u of uploads) {
        const row = table.querySelector('tr[data-upload="' + u.id + '"]');
        if (!row) continue;
        row.querySelector(".ustatus").textContent = u.status_label;
        row.querySelector(".ustatus").className = "ustatus " + u.status;
        row.querySelector(".umessage").textContent = u.message;
        if (u.document_id) row.querySelector(".ulink").innerHTML = '<a href="/documents/' + u.document_id + '">查看</a>';
      }
    });
  }
  document.querySelectorAll("figure.page").forEach(showFirstBox);
  if (location.hash.startsWith("#f")) { const el = document.getElementById(location.hash.slice(1)); if (el) el.focus(); }
});

// ---- select every finding of the page for a bulk decision ----
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-select-all]");
  if (!button) return;
  const boxes = Array.from(document.querySelectorAll('input[type=checkbox][form="bulk"]'));
  const all = boxes.every((b) => b.checked);
  boxes.forEach((b) => { b.checked = !all; });
});

// ---- a reason being typed survives an expired session (kept in this tab until the decision is saved) ----
function keepKey(input) { return "cnbudget-reason-" + input.dataset.keep; }
document.addEventListener("input", (event) => {
  const input = event.target;
  if (input.dataset && input.dataset.keep) sessionStorage.setItem(keepKey(input), input.value);
});
document.querySelectorAll("input[data-keep]").forEach((input) => {
  const saved = sessionStorage.getItem(keepKey(input));
  if (!saved) return;
  const trail = input.closest("article.finding").querySelector("ol.trail");
  if (trail && trail.textContent.includes(saved)) sessionStorage.removeItem(keepKey(input));
  else if (!input.value) input.value = saved;
});
