/**
 * Who hears of an SLA warning or breach, and how: THE one function to rewire when in-app notifications
 * land. For now it publishes the domain event (`sla.warning` / `sla.breached`, for integrators and for the
 * notifications to come), and emails the assignee, or every agent of the workspace when the thread is
 * unassigned, from the workspace's first inbound address. Agents only: this mail never reaches a customer.
 * Each alert is sent once: its idempotency key is claimed first (a retried step sends nothing twice).
 */
import type { AgentProfile } from '#core/agents.ts';
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
  log?: { warn(message: string, extra?: Record<string, unknown>): void };
}

const TARGET_NAMES = { firstResponse: 'first response', nextResponse: 'next response', resolution: 'resolution' };

export function createSlaNotifier(deps: SlaNotifierDeps) {
  return async (alert: SlaAlert): Promise<void> => {
    const at = deps.clock.now().toISOString();
    if (!(await deps.claim(alert.workspaceId, alert.threadId, alert.idempotencyKey, at))) return;
    const recipients = alert.assignee
      ? [await deps.agents.getAgent(alert.workspaceId, alert.assignee)].filter((a): a is AgentProfile => a !== null)
      : await deps.agents.listAgents(alert.workspaceId);
    await deps.events.publish([
      {
        type: alert.kind,
        workspaceId: alert.workspaceId,
        threadId: alert.threadId,
        at,
        detail: { target: alert.target, dueAt: alert.dueAt, notify: recipients.map((a) => a.agentId) },
      },
    ]);
    const [from] = await deps.inboundAddresses(alert.workspaceId);
    if (!from || recipients.length === 0) {
      deps.log?.warn('SLA alert not emailed: no sender address or no agent', { ...alert });
      return;
    }
    const what = TARGET_NAMES[alert.target];
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
