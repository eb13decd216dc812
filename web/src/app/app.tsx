import { Languages, LogOut, Menu as MenuIcon, Moon, Sun, SunMoon } from 'lucide-react';
import { lazy, Suspense, useState, useSyncExternalStore } from 'react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { currentSession, signOut, subscribeSession } from '../auth/session.ts';
import { SignInPage } from '../auth/sign-in-page.tsx';
import { LANGUAGES, type Language, setLanguage, t, useLanguage } from '../i18n/index.ts';
import { InboxPage } from '../inbox/index.ts';
import { useLiveUpdates } from '../live/index.ts';
import { Bell, ViewLinks } from '../queue/index.ts';
import { ErrorBoundary, IconButton, Menu, Skeleton, setTheme, type ThemeChoice, useTheme } from '../ui/index.ts';
import { HelpSheet } from './help-sheet.tsx';
import './shell.css';

// What only some screens need loads with them (code split by route).
const NewThreadPage = lazy(() => import('../thread/new-thread-page.tsx').then((m) => ({ default: m.NewThreadPage })));
const CustomersPage = lazy(() => import('../customers/customers-page.tsx').then((m) => ({ default: m.CustomersPage })));
const CustomerPage = lazy(() => import('../customers/customer-page.tsx').then((m) => ({ default: m.CustomerPage })));
const TemplatesPage = lazy(() => import('../templates/templates-page.tsx').then((m) => ({ default: m.TemplatesPage })));
const SettingsPage = lazy(() => import('../settings/settings-page.tsx').then((m) => ({ default: m.SettingsPage })));
const ReportsPage = lazy(() => import('../reports/reports-page.tsx').then((m) => ({ default: m.ReportsPage })));
const ProfilePage = lazy(() => import('../mail/profile-page.tsx').then((m) => ({ default: m.ProfilePage })));
const MentionsPage = lazy(() => import('../queue/mentions-page.tsx').then((m) => ({ default: m.MentionsPage })));

export function App() {
  const session = useSyncExternalStore(subscribeSession, currentSession);
  const language = useLanguage();
  // A new language re-renders every string: the tree is keyed on it.
  if (!session) return <SignInPage key={language} />;
  return (
    <ErrorBoundary area={t('area.app')}>
      <SignedIn key={language} />
    </ErrorBoundary>
  );
}

function SignedIn() {
  const session = currentSession()!;
  const live = useLiveUpdates();
  const [location] = useLocation();
  const [drawer, setDrawer] = useState(false);
  return (
    <div className="app">
      <a href="#main" className="skip">
        {t('shell.skip')}
      </a>
      <header className="topbar">
        <IconButton
          className="phone-only"
          label={t('shell.menu')}
          icon={MenuIcon}
          aria-expanded={drawer}
          aria-controls="sidebar"
          onClick={() => setDrawer((d) => !d)}
        />
        <span className="brand">Go!Chat</span>
        <span className="topbar-spacer" />
        <span className={`live-state live-${live}`} role="status">
          {live === 'open'
            ? t('live.open')
            : live === 'connecting'
              ? t('live.connecting')
              : live === 'off'
                ? ''
                : t('live.closed')}
        </span>
        <Bell />
        <ThemeMenu />
        <LanguageMenu />
        <span className="me">{session.name ?? session.email}</span>
        <IconButton label={t('shell.signOut')} icon={LogOut} onClick={() => signOut()} />
      </header>
      <div className="shell" data-drawer={drawer ? 'open' : 'closed'}>
        <Sidebar onNavigate={() => setDrawer(false)} />
        <main id="main" className="main">
          <ErrorBoundary area={t('area.screen')} resetKey={location}>
            <Suspense fallback={<Skeleton lines={6} />}>
              <Routes />
            </Suspense>
          </ErrorBoundary>
        </main>
      </div>
      <HelpSheet />
    </div>
  );
}

function Routes() {
  return (
    <Switch>
      <Route path="/inbox">{() => <InboxPage />}</Route>
      <Route path="/inbox/:threadId">{(p) => <InboxPage threadId={p.threadId} />}</Route>
      <Route path="/new">{() => <NewThreadPage />}</Route>
      <Route path="/customers">{() => <CustomersPage />}</Route>
      <Route path="/customers/:customerId">{(p) => <CustomerPage customerId={p.customerId} />}</Route>
      <Route path="/customers/:customerId/:threadId">
        {(p) => <CustomerPage customerId={p.customerId} threadId={p.threadId} />}
      </Route>
      <Route path="/reports">{() => <ReportsPage />}</Route>
      <Route path="/admin/templates">{() => <TemplatesPage />}</Route>
      <Route path="/admin/settings">{() => <SettingsPage />}</Route>
      <Route path="/me">{() => <ProfilePage />}</Route>
      <Route path="/mentions">{() => <MentionsPage />}</Route>
      <Route>
        <Redirect to="/inbox" />
      </Route>
    </Switch>
  );
}

/**
 * The side bar: the views of the Inbox (the seed's "Inbox" entry, all threads, for now: Mine, Unassigned and
 * saved views take their place under it), then the workspace's screens. On a phone it is a drawer.
 */
function Sidebar({ onNavigate }: { onNavigate: () => void }) {
  const [location] = useLocation();
  const item = (href: string, label: string, exact = false) => {
    const current = exact ? location === href : location === href || location.startsWith(`${href}/`);
    return (
      <li>
        <Link href={href} aria-current={current ? 'page' : undefined} onClick={onNavigate}>
          {label}
        </Link>
      </li>
    );
  };
  return (
    <nav id="sidebar" className="sidebar" aria-label={t('nav.main')}>
      <h2 className="sidebar-heading">{t('nav.views')}</h2>
      <ul>
        {item('/inbox', t('nav.inbox'))}
        <ViewLinks onNavigate={onNavigate} />
      </ul>
      <h2 className="sidebar-heading">{t('nav.workspace')}</h2>
      <ul>
        {item('/new', t('nav.newThread'), true)}
        {item('/customers', t('nav.customers'))}
        {item('/reports', t('nav.reports'))}
        {item('/me', t('mail.myProfile'), true)}
      </ul>
      <h2 className="sidebar-heading">{t('nav.admin')}</h2>
      <ul>
        {item('/admin/templates', t('nav.templates'))}
        {item('/admin/settings', t('nav.settings'))}
      </ul>
    </nav>
  );
}

function ThemeMenu() {
  const theme = useTheme();
  const icon = theme === 'dark' ? Moon : theme === 'light' ? Sun : SunMoon;
  return (
    <Menu<ThemeChoice>
      label={t('theme.label')}
      icon={icon}
      value={theme}
      renderValue={() => <span className="visually-hidden">{t(`theme.${theme}`)}</span>}
      options={[
        { value: 'system', label: t('theme.system') },
        { value: 'light', label: t('theme.light') },
        { value: 'dark', label: t('theme.dark') },
      ]}
      onSelect={setTheme}
    />
  );
}

function LanguageMenu() {
  const language = useLanguage();
  return (
    <Menu<Language>
      label={t('language.label')}
      icon={Languages}
      value={language}
      renderValue={() => LANGUAGES[language]}
      options={(Object.keys(LANGUAGES) as Language[]).map((l) => ({ value: l, label: LANGUAGES[l] }))}
      onSelect={setLanguage}
    />
  );
}
