import { QueryClientProvider } from '@tanstack/react-query';
import type { User } from 'oidc-client-ts';
import { AuthProvider } from 'react-oidc-context';
import { ApiProvider } from '#web/api/context.tsx';
import { returnPathOf } from '#web/auth/settings.ts';
import type { AppConfig } from './config.ts';
import { ConfigContext } from './config-context.tsx';
import { Shell } from './Shell.tsx';
import { sessionFor } from './session.ts';

/** Back from the provider: drop `code` and `state` from the address and return to where sign-in began. */
function onSigninCallback(user: User | undefined): void {
  window.history.replaceState(null, '', returnPathOf(user?.state));
}

/** The app once its config is loaded: sign-in, the query cache and the API client around the shell. */
export function App({ config }: { config: AppConfig }) {
  const session = sessionFor(config);
  return (
    <ConfigContext.Provider value={config}>
      <AuthProvider
        userManager={session.manager}
        onSigninCallback={onSigninCallback}
        skipSigninCallback={window.location.pathname !== '/callback'}
      >
        <QueryClientProvider client={session.queryClient}>
          <ApiProvider client={session.api}>
            <Shell />
          </ApiProvider>
        </QueryClientProvider>
      </AuthProvider>
    </ConfigContext.Provider>
  );
}
