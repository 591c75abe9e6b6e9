// The insight tab: ask Teams for an SSO token and the theme, fetch the navigation this person
// may see and the page's server-rendered content with it, and move between pages without
// reloading. After each page is shown, "naervaer:content" tells other scripts (charts.js) to
// draw. No other script, no CDN.
"use strict";

const THEMES = ["default", "dark", "contrast"];
const PERSON = "person:"; // a card's deep link: subPageId "person:<employee id>"
const content = document.getElementById("content");
const nav = document.getElementById("nav");
const teams = window.microsoftTeams;
let inTeams = false;

function setTheme(theme) {
  if (THEMES.includes(theme)) document.documentElement.dataset.theme = theme;
}

const TIMED_OUT = Symbol("timed out");

function withTimeout(promise, ms) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(TIMED_OUT), ms));
  return Promise.race([promise, timeout]);
}

// Inside Teams: the theme (and its changes) and where a deep link asked to go.
async function teamsContext() {
  if (!teams) return null;
  try {
    // Outside Teams initialize() may never settle: the demo login must not wait for it long.
    if ((await withTimeout(teams.app.initialize(), 2000)) === TIMED_OUT) return null;
    inTeams = true;
    const context = await withTimeout(teams.app.getContext(), 2000);
    if (!context || context === TIMED_OUT) return null;
    setTheme(context.app && context.app.theme);
    if (teams.app.registerOnThemeChangeHandler) teams.app.registerOnThemeChangeHandler(setTheme);
    return context;
  } catch (error) {
    return null; // outside Teams (local demo mode uses its cookie)
  }
}

async function headers() {
  if (!teams || !inTeams) return {};
  try {
    const token = await withTimeout(teams.authentication.getAuthToken(), 5000);
    return typeof token === "string" ? { Authorization: "Bearer " + token } : {};
  } catch (error) {
    return {};
  }
}

async function get(url) {
  return fetch(url, { headers: await headers(), credentials: "same-origin" });
}

// The employee's comment on a conversation on record (Mig): posted as JSON with the token.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-comment]");
  if (!form) return;
  event.preventDefault();
  const status = form.querySelector("[role=status]");
  const response = await fetch(form.dataset.comment, {
    method: "POST",
    headers: { ...(await headers()), "Content-Type": "application/json" },
    credentials: "same-origin",
    body: JSON.stringify({ comment: form.elements.comment.value }),
  });
  const answer = await response.json().catch(() => ({}));
  if (status) status.textContent = answer.message || "";
});

// ?theme=dark (local and demo testing) follows the person from page to page.
function keepTheme(search) {
  const theme = new URLSearchParams(window.location.search).get("theme");
  const params = new URLSearchParams(search);
  if (theme && !params.has("theme")) params.set("theme", theme);
  const text = params.toString();
  return text ? "?" + text : "";
}

async function loadNav(page) {
  const response = await get("/tab/api/nav?page=" + encodeURIComponent(page));
  if (!response.ok) return { ok: false, response };
  nav.innerHTML = await response.text();
  for (const link of nav.querySelectorAll("a")) {
    link.setAttribute("href", link.getAttribute("href") + keepTheme(""));
  }
  const list = nav.querySelector("ul");
  // The person's own language (the shell only knew the browser's): for screen readers.
  document.documentElement.lang = list.lang;
  return { ok: true, landing: list.dataset.landing };
}

function markCurrent(page) {
  for (const link of nav.querySelectorAll("a")) {
    const here = new URL(link.href).pathname === "/tab/" + page;
    if (here) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function showResponse(page, response, focus) {
  content.innerHTML = await response.text();
  content.dataset.status = String(response.status);
  content.removeAttribute("aria-busy");
  document.body.dataset.page = page;
  markCurrent(page);
  authenticatedDownloads();
  const heading = content.querySelector("h1");
  if (heading) {
    document.title = heading.textContent + " — naervaer";
    heading.setAttribute("tabindex", "-1");
    if (focus) heading.focus();
  }
  document.dispatchEvent(new CustomEvent("naervaer:content", { detail: { page } }));
}

async function show(page, search, focus) {
  content.setAttribute("aria-busy", "true");
  const response = await get("/tab/api/" + page + search);
  await showResponse(page, response, focus);
}

function authenticatedDownloads() {
  for (const link of content.querySelectorAll("a[data-download]")) {
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      const file = await get(link.getAttribute("href"));
      const url = URL.createObjectURL(await file.blob());
      const save = document.createElement("a");
      save.href = url;
      save.download = link.dataset.download;
      document.body.appendChild(save);
      save.click();
      save.remove();
      URL.revokeObjectURL(url);
    });
  }
}

function pageOf(location) {
  return location.pathname.replace(/^\/tab\/?/, "").split("/")[0] || "start";
}

// Moving between pages (the navigation, a name on Mit team) keeps the token and the theme, and
// moves the focus to the new heading; downloads and the demo login are left to the browser.
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[href]");
  if (!link || link.dataset.download !== undefined || link.target) return;
  if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  const url = new URL(link.href);
  const page = url.pathname.match(/^\/tab\/(\w+)$/);
  if (url.origin !== window.location.origin || !page || ["demo", "start"].includes(page[1])) return;
  event.preventDefault();
  const search = keepTheme(url.search);
  history.pushState(null, "", url.pathname + search);
  show(page[1], search, true);
});

window.addEventListener("popstate", () => {
  show(pageOf(window.location), window.location.search, true);
});

async function main() {
  const context = await teamsContext();
  let page = document.body.dataset.page;
  let search = window.location.search;
  const sub = context && context.page ? context.page.subPageId : "";
  if (page === "start" && sub && sub.startsWith(PERSON)) {
    page = "person";
    search = keepTheme("?id=" + encodeURIComponent(sub.slice(PERSON.length)));
  }
  const [navigation, first] = await Promise.all([
    loadNav(page),
    page === "start" ? null : get("/tab/api/" + page + search),
  ]);
  if (page === "start") {
    if (!navigation.ok) {
      await showResponse(page, navigation.response, false); // not signed in: say so
      return;
    }
    page = navigation.landing;
  }
  if (page !== document.body.dataset.page) history.replaceState(null, "", "/tab/" + page + search);
  await showResponse(page, first || (await get("/tab/api/" + page + search)), false);
}

main();
