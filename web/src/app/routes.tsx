import { lazy } from 'react';
import { Redirect, Route, Switch } from 'wouter';
import { LibraryPage } from '#web/library/LibraryPage.tsx';
import { PageHeading } from '#web/ui/PageHeading.tsx';

const UploadPage = lazy(() => import('#web/upload/UploadPage.tsx').then((m) => ({ default: m.UploadPage })));
const MyVideosPage = lazy(() =>
  import('#web/mine/MyVideosPage.tsx').then((m) => ({ default: m.MyVideosPage })),
);
const WatchPage = lazy(() => import('#web/watch/WatchPage.tsx').then((m) => ({ default: m.WatchPage })));
const ProfilePage = lazy(() =>
  import('#web/profile/ProfilePage.tsx').then((m) => ({ default: m.ProfilePage })),
);

/** The views by path; all but the library load on first visit. */
export function Routes() {
  return (
    <Switch>
      <Route path="/">
        <LibraryPage />
      </Route>
      <Route path="/upload">
        <UploadPage />
      </Route>
      <Route path="/mine">
        <MyVideosPage />
      </Route>
      <Route path="/videos/:videoId">{(params) => <WatchPage videoId={params.videoId} />}</Route>
      <Route path="/profile">
        <ProfilePage />
      </Route>
      <Route path="/callback">
        <Redirect to="/" replace />
      </Route>
      <Route>
        <PageHeading title="Page not found">Page not found</PageHeading>
        <p>
          There is nothing at this address. <a href="/">Go to the library</a>.
        </p>
      </Route>
    </Switch>
  );
}
