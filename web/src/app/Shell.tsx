import { Suspense } from 'react';
import { useAuth } from 'react-oidc-context';
import { Link, useLocation } from 'wouter';
import { SessionGate } from '#web/auth/SessionGate.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Routes } from './routes.tsx';

const NAV = [
  ['/', 'Library'],
  ['/upload', 'Upload'],
  ['/mine', 'My videos'],
  ['/profile', 'Profile'],
] as const;

/** True when `href` is the current section (a watch page belongs to none). */
function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}

/** The frame around every view: skip link, header and navigation, the main region. */
export function Shell() {
  const auth = useAuth();
  const [path] = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link href="/" className="brand">
            24-Hour Video
          </Link>
          {auth.isAuthenticated && (
            <nav aria-label="Main">
              <ul className="nav-list">
                {NAV.map(([href, label]) => (
                  <li key={href}>
                    <Link
                      href={href}
                      className="nav-link"
                      aria-current={isCurrent(path, href) ? 'page' : undefined}
                    >
                      {label}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1} className="site-main">
        <ErrorBoundary key={path}>
          <SessionGate>
            <Suspense fallback={<p role="status">Loading…</p>}>
              <Routes />
            </Suspense>
          </SessionGate>
        </ErrorBoundary>
      </main>
    </>
  );
}
