import { type FormEvent, type ReactNode, useEffect, useRef, useState } from 'react';
import type { Challenge } from './cognito.ts';
import { continueSignIn, signIn, signOutNotice } from './session.ts';

/**
 * Sign-in: the agent's email and password, checked by the user pool, then the pool's challenges: the
 * authenticator app's code (MFA), the app's setup on the first sign-in, a new password for a new account.
 */
export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [step, setStep] = useState<Challenge | null>(null);
  const [error, setError] = useState<string | null>(signOutNotice());
  const [busy, setBusy] = useState(false);
  const run = async (e: FormEvent, action: () => Promise<Challenge | null>) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const next = await action();
      // null: signed in, the app replaces this page.
      if (next) {
        setStep(next);
        setBusy(false);
      }
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  const alert = error && (
    <p role="alert" className="error">
      {error}
    </p>
  );
  const startOver = () => {
    setStep(null);
    setPassword('');
    setError(null);
  };
  return (
    <main className="sign-in">
      <h1>Go!Chat Inbox</h1>
      {step ? (
        <ChallengeForm
          key={`${step.kind}:${step.session}`}
          step={step}
          busy={busy}
          alert={alert}
          onAnswer={(e, answer) => run(e, () => continueSignIn(step, answer))}
          onStartOver={startOver}
        />
      ) : (
        <form onSubmit={(e) => run(e, () => signIn(email.trim(), password))} aria-labelledby="sign-in-title">
          <h2 id="sign-in-title">Sign in</h2>
          <label>
            Email
            <input
              type="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label>
            Password
            <input
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          {alert}
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
        </form>
      )}
    </main>
  );
}

const TITLES: Record<Challenge['kind'], string> = {
  'mfa-code': 'Two-step verification',
  'mfa-setup': 'Set up two-step verification',
  'new-password': 'Choose a new password',
};

function ChallengeForm(props: {
  step: Challenge;
  busy: boolean;
  alert: ReactNode;
  onAnswer: (e: FormEvent, answer: string) => void;
  onStartOver: () => void;
}) {
  const { step, busy } = props;
  const [answer, setAnswer] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  // Each new step takes the focus to its first field (the password form's fields are gone).
  useEffect(() => first.current?.focus(), []);
  const submit = (e: FormEvent) => {
    if (step.kind === 'new-password' && answer !== confirm) {
      e.preventDefault();
      setMismatch(true);
      return;
    }
    setMismatch(false);
    props.onAnswer(e, step.kind === 'new-password' ? answer : answer.replace(/\s/g, ''));
  };
  const code = (
    <>
      <label>
        Authentication code
        <input
          ref={step.kind === 'mfa-code' ? first : undefined}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          required
          aria-describedby="code-hint"
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
        />
      </label>
      <p id="code-hint" className="hint">
        The 6-digit code your authenticator app shows for Go!Chat.
      </p>
    </>
  );
  return (
    <form onSubmit={submit} aria-labelledby="challenge-title">
      <h2 id="challenge-title">{TITLES[step.kind]}</h2>
      {step.kind === 'mfa-code' && code}
      {step.kind === 'mfa-setup' && (
        <>
          <p>
            Your account requires an authenticator app. Add an account to the app with this secret key (or the key URI),
            then enter the code it shows.
          </p>
          <label>
            Secret key
            <input ref={first} readOnly value={step.secretCode} className="mono" />
          </label>
          <label>
            Key URI
            <input readOnly value={step.otpauthUri} className="mono" />
          </label>
          {code}
        </>
      )}
      {step.kind === 'new-password' && (
        <>
          <p>
            Your password was set by an administrator: choose your own (12 characters or more, with upper and lower case
            letters, a digit and a symbol).
          </p>
          <label>
            New password
            <input
              ref={first}
              type="password"
              autoComplete="new-password"
              minLength={12}
              required
              value={answer}
              onChange={(e) => setAnswer(e.target.value)}
            />
          </label>
          <label>
            Confirm new password
            <input
              type="password"
              autoComplete="new-password"
              required
              aria-invalid={mismatch || undefined}
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </label>
          {mismatch && (
            <p role="alert" className="error">
              The two passwords differ.
            </p>
          )}
        </>
      )}
      {props.alert}
      <button type="submit" className="primary" disabled={busy}>
        {step.kind === 'new-password' ? 'Set password' : 'Verify'}
      </button>
      <button type="button" onClick={props.onStartOver} disabled={busy}>
        Start over
      </button>
    </form>
  );
}
