import { useAuth } from 'react-oidc-context';
import { useConfig } from '#web/app/config-context.tsx';
import { returnState, signOutArgs } from './settings.ts';

/** The signed-in user and the two things one can do about it. */
export function useSession() {
  const auth = useAuth();
  const config = useConfig();
  return {
    auth,
    user: auth.isAuthenticated ? auth.user : undefined,
    /** Sends the user to the provider's sign-in page; the callback brings them back here. */
    signIn: () => void auth.signinRedirect({ state: returnState(window.location) }),
    /** Forgets the tokens and ends the provider's session; the provider sends the user to the start page. */
    signOut: () => void auth.signoutRedirect(signOutArgs(config.auth)),
  };
}
