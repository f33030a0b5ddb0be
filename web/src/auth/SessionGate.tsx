import { type ReactNode, useEffect, useRef } from 'react';
import { useLocation } from 'wouter';
import { SignedOut } from './SignedOut.tsx';
import { useSession } from './useSession.ts';

/**
 * Renders the views only for a signed-in user. A stored session whose access token expired while the
 * tab was closed is renewed once with its refresh token before the user is asked to sign in.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const { auth } = useSession();
  const [path, navigate] = useLocation();
  const renewTried = useRef(false);
  const expired = !auth.isLoading && !auth.isAuthenticated && Boolean(auth.user?.refresh_token);

  useEffect(() => {
    if (!expired || renewTried.current) return;
    renewTried.current = true;
    void auth.signinSilent();
  }, [expired, auth]);

  const callbackFailed = auth.error?.source === 'signinCallback';
  useEffect(() => {
    if (callbackFailed && path === '/callback') navigate('/', { replace: true });
  }, [callbackFailed, path, navigate]);

  if (auth.isLoading || (expired && !renewTried.current)) {
    const doing =
      auth.activeNavigator === 'signinRedirect'
        ? 'Taking you to sign-in…'
        : auth.activeNavigator === 'signoutRedirect'
          ? 'Signing you out…'
          : path === '/callback'
            ? 'Signing you in…'
            : 'Loading…';
    return <p role="status">{doing}</p>;
  }
  if (auth.isAuthenticated) return children;
  return <SignedOut />;
}
