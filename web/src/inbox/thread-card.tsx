import { Paperclip, Users } from 'lucide-react';
import { relativeTime } from '../../../design/format.ts';
import { AgentAvatar } from '../agents/index.ts';
import type { ThreadCard as Card } from '../api/client.ts';
import { locale, plural, t } from '../i18n/index.ts';
import { Badge, StatusDot } from '../ui/index.ts';

/**
 * The seed's thread card on two lines. First: status dot, the contact's name and external id, the unread
 * mark, attachment and several-messages icons, the assignee's avatar, the time (relative, the exact time on
 * hover). Second: the subject, the snippet of the last message and the tags.
 * Attachment names and the item count stay in the card's accessible text.
 */
export function ThreadCardView({ card, now }: { card: Card & { unread?: boolean }; now?: Date }) {
  const contact = card.latestContact;
  const who = contact?.name || contact?.email || t('card.unknownContact');
  const at = card.lastMessageAt ?? card.updatedAt;
  return (
    <div className={`card${card.unread ? ' unread' : ''}`}>
      <div className="card-line">
        <StatusDot status={card.status} reminderIndex={card.reminderIndex} />
        <span className="card-contact">
          {who}
          {contact?.externalId && <span className="external-id"> ({contact.externalId})</span>}
        </span>
        {card.unread && <Badge tone="accent">{t('card.unread')}</Badge>}
        {card.late && <Badge tone="danger">{t('card.late')}</Badge>}
        {card.status === 'snoozed' && <Badge>{t('status.snoozed')}</Badge>}
        <span className="card-spacer" />
        {card.hasAttachments && (
          <Paperclip className="icon" role="img" aria-label={t('card.hasAttachments')} aria-hidden={false} />
        )}
        {card.hasMultipleMessages && (
          <Users className="icon" role="img" aria-label={t('card.severalMessages')} aria-hidden={false} />
        )}
        {card.assignee && <AgentAvatar agentId={card.assignee} />}
        <time className="card-time" dateTime={at} title={at ? new Date(at).toLocaleString(locale()) : undefined}>
          {relativeTime(at, now, locale())}
        </time>
      </div>
      <div className="card-line card-text">
        <span className="card-subject">{card.subject || t('thread.noSubject')}</span>
        {card.snippet && <span className="card-snippet"> — {card.snippet}</span>}
        {card.tags.length > 0 && (
          <ul className="card-tags" aria-label={t('thread.tags')}>
            {card.tags.map((tag) => (
              <li key={tag}>
                <Badge>{tag}</Badge>
              </li>
            ))}
          </ul>
        )}
      </div>
      <span className="visually-hidden">
        {plural(card.itemCount, 'card.items.one', 'card.items.many')}
        {card.attachmentNames.length > 0 && `. ${t('card.attachments')} ${card.attachmentNames.join(', ')}`}
      </span>
    </div>
  );
}
