import { useSession } from '#web/auth/useSession.ts';
import { PageHeading } from '#web/ui/PageHeading.tsx';

/** Who is signed in, from the ID token's claims as the OIDC library read them, and Sign out. */
export function ProfilePage() {
  const { user, signOut } = useSession();
  const profile = user?.profile;
  const name = profile?.name ?? profile?.preferred_username ?? claim(profile, 'cognito:username');
  return (
    <>
      <PageHeading title="Profile">Profile</PageHeading>
      <dl className="facts">
        {name && (
          <div>
            <dt>Name</dt>
            <dd>{name}</dd>
          </div>
        )}
        <div>
          <dt>Email</dt>
          <dd>{profile?.email ?? 'Not shared by the identity provider'}</dd>
        </div>
        <div>
          <dt>User id</dt>
          <dd>
            <code>{profile?.sub ?? 'Unknown'}</code>
          </dd>
        </div>
      </dl>
      <button type="button" className="button" onClick={signOut}>
        Sign out
      </button>
    </>
  );
}

function claim(profile: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = profile?.[key];
  return typeof value === 'string' ? value : undefined;
}
