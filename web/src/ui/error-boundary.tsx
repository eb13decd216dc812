import { Component, type ErrorInfo, type ReactNode } from 'react';
import { t } from '../i18n/index.ts';

interface Props {
  /** What failed, in the product's words ("the list", "this thread"). */
  area: string;
  children: ReactNode;
  /** A change here (a route, a thread id) clears the error, so the next screen gets its chance. */
  resetKey?: unknown;
}

/** One pane's failure stays in that pane: the rest of the Inbox keeps working, and the pane can retry. */
export class ErrorBoundary extends Component<Props, { error?: Error; key?: unknown }> {
  state: { error?: Error; key?: unknown } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  static getDerivedStateFromProps(props: Props, state: { error?: Error; key?: unknown }) {
    return props.resetKey !== state.key ? { error: undefined, key: props.resetKey } : null;
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(`The Inbox failed in ${this.props.area}`, error, info.componentStack);
  }

  render() {
    if (!this.state.error) return this.props.children;
    return (
      <div role="alert" className="pane-error">
        <p>{t('error.pane', { area: this.props.area })}</p>
        <p className="field-hint">{this.state.error.message}</p>
        <button type="button" className="btn btn-secondary btn-md" onClick={() => this.setState({ error: undefined })}>
          {t('error.retry')}
        </button>
      </div>
    );
  }
}
