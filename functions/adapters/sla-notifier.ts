/**
 * Who hears of an SLA warning or breach, and how. It publishes the domain event (`sla.warning` /
 * `sla.breached`, for integrators) and tells the assignee, or every agent of the workspace when the thread is
 * unassigned:
 * - through the notifications module when it is wired (`notifications`: events `slaWarning` / `slaBreach`,
 *   off by default, each agent's preferences choose the bell, browser and mail; docs/notifications.md);
 * - else by a plain mail from the workspace's first inbound address. Agents only: never a customer.
 * Each alert is published (and mailed) once: its idempotency key is claimed first. The notifications are
 * idempotent by themselves (ids from event, source and agent) and go before the claim, so a step retried
 * after a crash between the two still completes them.
 */
import type { AgentProfile } from '#core/agents.ts';
import type { Notice } from '#core/notifications/rules.ts';
import type { EventPublisher, MailSender } from '#core/ports.ts';
import type { SlaAlert } from '#core/reports/sla-timers.ts';

export interface SlaNotifierDeps {
  events: EventPublisher;
  sender: MailSender;
  agents: {
    getAgent(workspaceId: string, agentId: string): Promise<AgentProfile | null>;
    listAgents(workspaceId: string): Promise<AgentProfile[]>;
  };
  inboundAddresses(workspaceId: string): Promise<Array<{ address: string }>>;
  claim(workspaceId: string, threadId: string, key: string, at: string): Promise<boolean>;
  clock: { now(): Date };
  /** The notifications use case (core/notifications/notify.ts `notify`, bound to its ports). */
  notifications?: (notice: Notice) => Promise<unknown>;
  log?: { warn(message: string, extra?: Record<string, unknown>): void };
}

const TARGET_NAMES = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' };

export function createSlaNotifier(deps: SlaNotifierDeps) {
  return async (alert: SlaAlert): Promise<void> => {
    const at = deps.clock.now().toISOString();
    const recipients = alert.assignee
      ? [await deps.agents.getAgent(alert.workspaceId, alert.assignee)].filter((a): a is AgentProfile => a !== null)
      : await deps.agents.listAgents(alert.workspaceId);
    const what = TARGET_NAMES[alert.target];
    if (deps.notifications)
      await deps.notifications({
        workspaceId: alert.workspaceId,
        threadId: alert.threadId,
        event: alert.kind === 'sla.warning' ? 'slaWarning' : 'slaBreach',
        // The step's scheduled time, not the clock: a retried step makes the same notification ids.
        at: alert.firesAt,
        sourceId: alert.idempotencyKey,
        agentIds: recipients.map((a) => a.agentId),
        excerpt: `${what[0].toUpperCase()}${what.slice(1)} due ${alert.dueAt}`,
      });
    if (!(await deps.claim(alert.workspaceId, alert.threadId, alert.idempotencyKey, at))) return;
    await deps.events.publish([
      {
        type: alert.kind,
        workspaceId: alert.workspaceId,
        threadId: alert.threadId,
        at,
        detail: { target: alert.target, dueAt: alert.dueAt, notify: recipients.map((a) => a.agentId) },
      },
    ]);
    if (deps.notifications) return; // the notifications' own mail channel, by each agent's preferences
    const [from] = await deps.inboundAddresses(alert.workspaceId);
    if (!from || recipients.length === 0) {
      deps.log?.warn('SLA alert not emailed: no sender address or no agent', { ...alert });
      return;
    }
    const subject =
      alert.kind === 'sla.warning'
        ? `SLA warning: ${what} due at ${alert.dueAt} (thread ${alert.threadId})`
        : `SLA breached: ${what} was due at ${alert.dueAt} (thread ${alert.threadId})`;
    const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
    const raw = await new MailComposer({
      from: from.address,
      to: recipients.map((a) => a.email),
      subject,
      text: `${subject}\n\nThis is an automatic message for the agents of the workspace.`,
      headers: { 'Auto-Submitted': 'auto-generated' },
    })
      .compile()
      .build();
    await deps.sender.sendRaw({ raw, from: from.address, destinations: recipients.map((a) => a.email) });
  };
}
