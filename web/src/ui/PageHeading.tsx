import { type ReactNode, useEffect, useRef } from 'react';
import { useLocation } from 'wouter';

const SITE = '24-Hour Video';
let focusedFor = typeof window === 'undefined' ? '' : window.location.pathname;

/**
 * A view's main heading. It names the document, and after a route change it takes the focus, so a
 * keyboard or screen-reader user starts at the new view rather than at a link that vanished.
 */
export function PageHeading({ children, title }: { children: ReactNode; title: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const [path] = useLocation();
  useEffect(() => {
    document.title = title === SITE ? SITE : `${title} · ${SITE}`;
  }, [title]);
  useEffect(() => {
    if (path === focusedFor) return;
    focusedFor = path;
    ref.current?.focus();
  }, [path]);
  return (
    <h1 ref={ref} tabIndex={-1} className="page-heading">
      {children}
    </h1>
  );
}
