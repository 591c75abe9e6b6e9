// The insight tab: ask Teams for an SSO token, fetch the page's server-rendered content with
// it, and turn download links into authenticated downloads. No other script, no CDN.
"use strict";

async function teamsToken() {
  const teams = window.microsoftTeams;
  if (!teams) return null;
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), 2000));
  try {
    const token = (async () => {
      await teams.app.initialize();
      return await teams.authentication.getAuthToken();
    })();
    return await Promise.race([token, timeout]);
  } catch (error) {
    return null; // outside Teams (local demo mode uses its cookie)
  }
}

async function main() {
  const content = document.getElementById("content");
  const page = document.body.dataset.page;
  const token = await teamsToken();
  const headers = token ? { Authorization: "Bearer " + token } : {};
  const response = await fetch("/tab/api/" + page + window.location.search, {
    headers,
    credentials: "same-origin",
  });
  content.innerHTML = await response.text();
  content.dataset.status = String(response.status);
  for (const link of content.querySelectorAll("a[data-download]")) {
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      const file = await fetch(link.getAttribute("href"), { headers, credentials: "same-origin" });
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
  content.focus();
}

main();
