import type { ThreadCard as Card } from '../api/client.ts';
import { Avatar } from '../ui/avatar.tsx';
import { plural, shortTime } from '../ui/format.ts';
import { AttachmentIcon, MessagesIcon } from '../ui/icons.tsx';
import { StatusDot } from '../ui/status-dot.tsx';

/**
 * The seed's thread card, item by item: status dot, attachment icon, multiple-messages icon, the contact's
 * name and external id, the assignee's avatar, the item count, the time of the last message, the subject
 * and a snippet of the last message, the attachment names, the tags. Unread threads are marked.
 */
export function ThreadCardView({ card }: { card: Card & { unread?: boolean } }) {
  const contact = card.latestContact;
  const who = contact?.name || contact?.email || 'Unknown contact';
  return (
    <div className={`card${card.unread ? ' unread' : ''}`}>
      <div className="card-line">
        <StatusDot status={card.status} reminderIndex={card.reminderIndex} />
        {card.unread && <span className="unread-mark">Unread</span>}
        {card.hasAttachments && <AttachmentIcon label="Has attachments" />}
        {card.hasMultipleMessages && <MessagesIcon label="Several messages" />}
        <span className="card-contact">
          {who}
          {contact?.externalId && <span className="external-id"> ({contact.externalId})</span>}
        </span>
        <span className="card-spacer" />
        {card.assignee && <Avatar agentId={card.assignee} />}
        <span className="card-count">{plural(card.itemCount, 'item')}</span>
        <time className="card-time" dateTime={card.lastMessageAt ?? card.updatedAt}>
          {shortTime(card.lastMessageAt ?? card.updatedAt)}
        </time>
      </div>
      <div className="card-subject">{card.subject || '(no subject)'}</div>
      <div className="card-snippet">{card.snippet}</div>
      {(card.attachmentNames.length > 0 || card.tags.length > 0) && (
        <div className="card-line card-meta">
          {card.attachmentNames.length > 0 && (
            <span className="card-attachments">
              <span className="visually-hidden">Attachments: </span>
              {card.attachmentNames.join(', ')}
            </span>
          )}
          {card.tags.length > 0 && (
            <ul className="tags" aria-label="Tags">
              {card.tags.map((t) => (
                <li key={t} className="tag">
                  {t}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
