/** What the embedded IdP's login page shows. */
export interface LoginPageContent {
  /** The vendor profile, shown in the title (`keycloak`…). */
  readonly vendor: string;
  /** The application asking for the sign-in. */
  readonly clientId: string;
  /** Where the form posts (the interaction's login path). */
  readonly action: string;
  /** Where "Cancel" posts. */
  readonly abortAction: string;
  /** The directory's users as `{ username, name }`, listed as a hint. */
  readonly users: readonly { readonly username: string; readonly name: string }[];
  /** The user name typed before, when the page is shown again. */
  readonly typed?: string;
  /** An error to show (e.g. unknown user). */
  readonly error?: string;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ?? character,
  );
}

/**
 * The login page of the embedded (test) IdP: a user-name field checked against the directory, no
 * password, and a clear notice that this is a test identity provider.
 */
export function loginPageHtml(content: LoginPageContent): string {
  const users = content.users
    .map((user) => `<li><code>${escapeHtml(user.username)}</code> ${escapeHtml(user.name)}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · embedded ${escapeHtml(content.vendor)} test IdP</title>
<style>
  :root { font-family: system-ui, sans-serif; color: #1f2328; background: #f6f8fa; }
  main { max-width: 420px; margin: 48px auto; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 20px 24px; }
  h1 { font-size: 20px; margin: 0 0 6px; }
  .notice { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 10px; font-size: 13px; }
  .error { background: #ffebe9; border: 1px solid #ff8182; border-radius: 6px; padding: 8px 10px; font-size: 13px; color: #a40e26; }
  label { display: block; font-size: 13px; margin: 14px 0 4px; }
  input { width: 100%; box-sizing: border-box; font-size: 15px; padding: 7px; }
  button { margin-top: 14px; width: 100%; font-size: 15px; padding: 9px; border: 0; border-radius: 6px; background: #1f883d; color: #fff; cursor: pointer; }
  button.secondary { background: #eaeef2; color: #1f2328; }
  ul { font-size: 13px; padding-left: 18px; }
</style>
</head>
<body>
<main>
  <h1>Sign in</h1>
  <p>to <strong>${escapeHtml(content.clientId)}</strong> at the embedded <strong>${escapeHtml(content.vendor)}</strong> profile</p>
  <p class="notice">This is a <strong>test identity provider</strong> (dual-auth testkit): there are no passwords. Enter the user name of one of its directory users.</p>
  ${content.error === undefined ? '' : `<p class="error" id="error" role="alert">${escapeHtml(content.error)}</p>`}
  <form method="post" action="${escapeHtml(content.action)}" autocomplete="off">
    <label for="username">User name (or email)</label>
    <input id="username" name="username" required autofocus value="${escapeHtml(content.typed ?? '')}">
    <button id="sign-in" type="submit">Sign in</button>
  </form>
  <form method="post" action="${escapeHtml(content.abortAction)}">
    <button id="cancel" class="secondary" type="submit">Cancel</button>
  </form>
  <p>Users in this directory:</p>
  <ul id="users">${users}</ul>
</main>
</body>
</html>
`;
}
