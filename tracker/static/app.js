// Progressive enhancement only: every page works without JavaScript.
import { initAll } from "/assets/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

// A save on a page made of sections (the action page) comes back to its section (#fragment)
// with its message there. The browser's move to the fragment happens after the NHS.UK script
// has focused the message and takes the focus away again, so focus it once the page is ready.
const focusSavedMessage = () => {
  const message = document.querySelector("[data-app-focus-message]");
  if (message instanceof HTMLElement && document.activeElement !== message) {
    message.focus();
  }
};
window.addEventListener("load", () => requestAnimationFrame(focusSavedMessage));
