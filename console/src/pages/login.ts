// Log in with a user and password; the server answers with a token kept for this tab only.

import { login } from "../api";
import { h } from "../dom";

export function loginPage(main: HTMLElement): void {
  const user = h("input", { id: "user", name: "user", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const message = h("p", { class: "error", role: "alert", id: "login-error" });
  const form = h(
    "form",
    { class: "login", id: "login-form" },
    h("h1", {}, "Sign in to fraudnet"),
    h("label", { for: "user" }, "User"),
    user,
    h("label", { for: "password" }, "Password"),
    password,
    h("button", { type: "submit", id: "login-submit" }, "Sign in"),
    message,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      await login(user.value.trim(), password.value);
      password.value = "";
      location.hash = "#/queue";
    } catch (err) {
      message.textContent = err instanceof Error ? err.message : String(err);
    }
  });
  main.append(form);
  user.focus();
}
