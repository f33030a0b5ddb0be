import { PageHeading } from '#web/ui/PageHeading.tsx';
import { useSession } from './useSession.ts';

/** What went wrong with the last sign-in or sign-out, in words the user can act on. */
function noticeOf(source: string | undefined, message: string | undefined): string | undefined {
  switch (source) {
    case 'signinCallback':
      return `Sign-in did not complete: ${message ?? 'the identity provider sent no reason'}. Try again.`;
    case 'signinRedirect':
      return `The sign-in page could not be reached: ${message ?? 'no reason given'}. Check your connection and try again.`;
    case 'signinSilent':
    case 'renewSilent':
      return 'Your session has expired. Sign in again to carry on.';
    case 'signoutRedirect':
      return `You are signed out of this app, but the identity provider could not be told (${message ?? 'no reason given'}).`;
    default:
      return undefined;
  }
}

/** The start page for someone who is not signed in: what this is, and a Sign in button. */
export function SignedOut() {
  const { auth, signIn } = useSession();
  const notice = noticeOf(auth.error?.source, auth.error?.message);
  return (
    <section className="signed-out">
      <PageHeading title="Sign in">Welcome to 24-Hour Video</PageHeading>
      <p className="lead">Upload a video, watch it become playable within minutes, and share it.</p>
      {notice && (
        <p className="notice notice-warning" role="alert">
          {notice}
        </p>
      )}
      <button type="button" className="button button-primary" onClick={signIn}>
        Sign in
      </button>
    </section>
  );
}
