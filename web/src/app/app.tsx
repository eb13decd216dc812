import { useSyncExternalStore } from 'react';
import { Link, Redirect, Route, Switch } from 'wouter';
import { currentSession, signOut, subscribeSession } from '../auth/session.ts';
import { SignInPage } from '../auth/sign-in-page.tsx';
import { CustomerPage } from '../customers/customer-page.tsx';
import { CustomersPage } from '../customers/customers-page.tsx';
import { InboxPage } from '../inbox/inbox-page.tsx';
import { useLiveUpdates } from '../live/use-live-updates.ts';
import { SettingsPage } from '../settings/settings-page.tsx';
import { TemplatesPage } from '../templates/templates-page.tsx';
import { NewThreadPage } from '../thread/new-thread-page.tsx';
import { HelpSheet } from './help-sheet.tsx';

export function App() {
  const session = useSyncExternalStore(subscribeSession, currentSession);
  if (!session) return <SignInPage />;
  return <SignedIn />;
}

function SignedIn() {
  const session = currentSession()!;
  const live = useLiveUpdates();
  return (
    <>
      <a href="#main" className="skip">
        Skip to the content
      </a>
      <header className="topbar">
        <span className="brand">Go!Chat</span>
        <nav aria-label="Main">
          <ul>
            <li>
              <Link href="/inbox">Inbox</Link>
            </li>
            <li>
              <Link href="/new">New thread</Link>
            </li>
            <li>
              <Link href="/customers">Customers</Link>
            </li>
            <li>
              <Link href="/admin/templates">Templates</Link>
            </li>
            <li>
              <Link href="/admin/settings">Settings</Link>
            </li>
          </ul>
        </nav>
        <span className="live-state" role="status">
          {live === 'open' ? 'Live' : live === 'connecting' ? 'Connecting…' : live === 'off' ? '' : 'Offline'}
        </span>
        <span className="me">{session.name ?? session.email}</span>
        <button type="button" onClick={() => signOut()}>
          Sign out
        </button>
      </header>
      <main id="main">
        <Switch>
          <Route path="/inbox">{() => <InboxPage />}</Route>
          <Route path="/inbox/:threadId">{(p) => <InboxPage threadId={p.threadId} />}</Route>
          <Route path="/new">{() => <NewThreadPage />}</Route>
          <Route path="/customers">{() => <CustomersPage />}</Route>
          <Route path="/customers/:customerId">{(p) => <CustomerPage customerId={p.customerId} />}</Route>
          <Route path="/customers/:customerId/:threadId">
            {(p) => <CustomerPage customerId={p.customerId} threadId={p.threadId} />}
          </Route>
          <Route path="/admin/templates">{() => <TemplatesPage />}</Route>
          <Route path="/admin/settings">{() => <SettingsPage />}</Route>
          <Route>
            <Redirect to="/inbox" />
          </Route>
        </Switch>
      </main>
      <HelpSheet />
    </>
  );
}
