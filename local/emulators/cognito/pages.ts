/** Paths of the static files the provider's own pages load (no inline script or style anywhere). */
export const ASSET_PATHS = { style: '/local/style.css', signOut: '/local/sign-out.js' } as const;

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(title: string, body: string, scripts: readonly string[] = []): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · 24-Hour Video (local)</title>
<link rel="stylesheet" href="${ASSET_PATHS.style}">
${scripts.map((src) => `<script src="${src}" defer></script>`).join('\n')}
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * The local sign-in page: a heading, one labelled "User name" field and a "Sign in" button. No
 * password: each name is its own user. An error is tied to the field (`aria-describedby`, `aria-invalid`).
 */
export function signInPage(input: { action: string; username?: string; error?: string }): string {
  const described = input.error ? 'username-hint username-error' : 'username-hint';
  return page(
    'Sign in',
    `<h1>Sign in to 24-Hour Video</h1>
<p class="note">Local sign-in: type any user name, no password. Each name is its own user; <strong>dev</strong> is the user <code>npm start</code> prints a token for.</p>
<form method="post" action="${escapeHtml(input.action)}">
<label for="username">User name</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus maxlength="64" value="${escapeHtml(input.username ?? '')}" aria-describedby="${described}"${input.error ? ' aria-invalid="true"' : ''}>
<p id="username-hint" class="hint">Letters, digits, '.', '_' or '-'. Your e-mail address will be <em>name</em>@localhost.</p>
${input.error ? `<p id="username-error" class="error" role="alert">${escapeHtml(input.error)}</p>\n` : ''}<button type="submit">Sign in</button>
</form>`,
  );
}

/**
 * RP-initiated logout's confirmation page. Cognito's `/logout` signs out without asking, so a script
 * file submits the form at once; without scripts, the button does.
 */
export function signOutPage(form: string): string {
  return page(
    'Sign out',
    `<h1>Sign out of 24-Hour Video</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>`,
    [ASSET_PATHS.signOut],
  );
}

/** Shown after a logout that named no `post_logout_redirect_uri`. */
export function signedOutPage(): string {
  return page('Signed out', '<h1>You are signed out</h1>\n<p>Go back to the app to sign in again.</p>');
}

/** An error the provider cannot send back to the app: what went wrong, never a stack trace. */
export function errorPage(error: string, description: string | undefined): string {
  return page(
    'Sign-in problem',
    `<h1>Sign-in problem</h1>
<p role="alert"><code>${escapeHtml(error)}</code>${description ? `: ${escapeHtml(description)}` : ''}</p>
<p>Go back to the app and sign in again.</p>`,
  );
}

/** The stylesheet of the pages above. */
export const STYLE_CSS = `:root{color-scheme:light dark;font-family:system-ui,sans-serif;line-height:1.5}
body{margin:0;display:grid;place-items:center;min-height:100vh;padding:1rem;box-sizing:border-box}
main{width:min(26rem,100%)}
h1{font-size:1.5rem;margin:0 0 1rem}
label{display:block;font-weight:600;margin-bottom:.25rem}
input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #767676;border-radius:.25rem}
input[aria-invalid=true]{border-color:#b00020}
button{font:inherit;margin-top:1rem;padding:.5rem 1.25rem;border:0;border-radius:.25rem;background:#0b57d0;color:#fff;cursor:pointer}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.hint,.note{font-size:.9rem}
.error{color:#b00020;font-weight:600}
@media (prefers-color-scheme:dark){.error{color:#ff8a80}input[aria-invalid=true]{border-color:#ff8a80}button{background:#8ab4f8;color:#000}}
`;

/** Submits the sign-out form as soon as the page loads. */
export const SIGN_OUT_JS = `document.querySelector('button[name="logout"]')?.click();\n`;
