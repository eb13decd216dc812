// Generated from openapi/openapi.yaml by `npm run gen:api -w web`: do not edit.

export interface paths {
    "/v1/threads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List threads, newest updated first
         * @description Filters combine. A list page reads one facet partition of the thread index (the most selective
         *     filter present) and applies the other filters to it; `q` searches keywords. A page can come back
         *     shorter than `limit` (even empty) with a `nextCursor` when the read budget of one page is spent.
         */
        get: operations["listThreads"];
        put?: never;
        /** Start an outbound thread with its first message */
        post: operations["startThread"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        /** Get a thread */
        get: operations["getThread"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change status, assignee, tags, customers or subject
         * @description Every changed field adds an update item (actor, from, to) to the feed, in one atomic write.
         */
        patch: operations["updateThread"];
        trace?: never;
    };
    "/v1/threads/{threadId}/feed": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        /** The thread's messages, updates and comments, oldest first */
        get: operations["getFeed"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a message (text or template, with attachments)
         * @description Recipients must be contacts of the thread's customers (422). A closed thread refuses (409).
         *     The thread moves into the reminder cycle by default; `status` sets another one, or `keep`.
         *     By email the mail goes From the thread's mailbox (multipart text and HTML, the signature layers,
         *     the customer's last message quoted unless `quote: false`). `channel: chat` answers through the
         *     chat path (live into the widget, or a `message.sent` event), emailed only if still unseen after
         *     the policy's delay; the default is the channel of the customer's last message (chat for chat and
         *     api), or email when the request carries what only mail can (cc, bcc, attachments, html, subject).
         */
        post: operations["sendMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge another thread into this one
         * @description The thread in the body becomes part of this one (docs/threading.md): its messages, updates and comments are copied into this thread's feed in time order; its customers, tags and attachments join this thread's card; it leaves every list; it is closed with `mergedInto`, so that its id, subject tag, reply token and Message-IDs lead here and none of its timers can act. Both feeds get an update (field `merge`) naming the caller. Repeating the request changes nothing. Threads already merged are followed to the thread they were merged into.
         */
        post: operations["mergeThread"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/comments": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add an internal note */
        post: operations["addComment"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/attachments/{attachmentId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
                attachmentId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        /** A short-lived download URL for an attachment */
        get: operations["getAttachment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List customers */
        get: operations["listCustomers"];
        put?: never;
        /** Create a customer */
        post: operations["createCustomer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
            };
            cookie?: never;
        };
        /** Get a customer */
        get: operations["getCustomer"];
        put?: never;
        post?: never;
        /**
         * Delete a customer
         * @description Refused (409 `conflict`) while threads name the customer; its contact links go with it.
         */
        delete: operations["deleteCustomer"];
        options?: never;
        head?: never;
        /** Update a customer */
        patch: operations["updateCustomer"];
        trace?: never;
    };
    "/v1/customers/{customerId}/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
            };
            cookie?: never;
        };
        /** List a customer's contacts */
        get: operations["listContactsOfCustomer"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/customers/{customerId}/contacts/{contactId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        get?: never;
        /** Link a contact to a customer (idempotent) */
        put: operations["linkContact"];
        post?: never;
        /** Unlink a contact from a customer */
        delete: operations["unlinkContact"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List contacts */
        get: operations["listContacts"];
        put?: never;
        /** Create a contact */
        post: operations["createContact"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/contacts/{contactId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        /** Get a contact */
        get: operations["getContact"];
        put?: never;
        post?: never;
        /** Delete a contact */
        delete: operations["deleteContact"];
        options?: never;
        head?: never;
        /** Update a contact */
        patch: operations["updateContact"];
        trace?: never;
    };
    "/v1/contacts/{contactId}/customers": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        /** List a contact's customers */
        get: operations["listCustomersOfContact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List templates */
        get: operations["listTemplates"];
        put?: never;
        /** Create a template */
        post: operations["createTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{templateId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: components["parameters"]["TemplateId"];
            };
            cookie?: never;
        };
        /** Get a template */
        get: operations["getTemplate"];
        /** Replace a template */
        put: operations["replaceTemplate"];
        post?: never;
        /** Delete a template */
        delete: operations["deleteTemplate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{templateId}/preview": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: components["parameters"]["TemplateId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Render a template with a thread's variables and the given ones */
        post: operations["previewTemplate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the workspace settings */
        get: operations["getSettings"];
        /**
         * Replace the workspace settings
         * @description Fields left out keep their value. Inbound addresses are managed by ops (`gochat workspace add-inbound`).
         */
        put: operations["putSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys */
        get: operations["listApiKeys"];
        put?: never;
        /** Create a key; the response shows its secret, once */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a key (it stops working at once) */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The agents of the workspace
         * @description For the assignee picker and the cards' avatars, sorted by name.
         */
        get: operations["listAgents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/agents/{agentId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change an agent's role or name
         * @description The role applies to the agent's next request. Agents are created with `gochat agent create`.
         */
        patch: operations["updateAgent"];
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is calling
         * @description The workspace, the kind of caller, its role and scopes, and the signed-in agent's profile.
         */
        get: operations["getMe"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/availability": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Mark yourself available or away
         * @description An away agent gets no new thread from assignment on arrival. Idempotent.
         */
        put: operations["setMyAvailability"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/drafts": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        /**
         * The drafts on a thread
         * @description The caller's own drafts in full; a colleague's only as who writes and since when ("Ana is writing").
         */
        get: operations["listDrafts"];
        put?: never;
        /**
         * Start a draft
         * @description A draft belongs to the acting agent (a token's agent, or `X-Agent-Id` with a key); at most 20 per agent and thread, 256 KB each.
         */
        post: operations["createDraft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/drafts/{draftId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
                draftId: components["parameters"]["DraftId"];
            };
            cookie?: never;
        };
        /** One of the caller's drafts */
        get: operations["getDraft"];
        put?: never;
        post?: never;
        /** Discard a draft */
        delete: operations["discardDraft"];
        options?: never;
        head?: never;
        /**
         * Edit a draft
         * @description The fields given replace the draft's, `null` clears one. With `version`, a stale edit gets 409.
         */
        patch: operations["updateDraft"];
        trace?: never;
    };
    "/v1/threads/{threadId}/drafts/{draftId}/send": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
                draftId: components["parameters"]["DraftId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a draft
         * @description Sends the draft through the same path as `POST /v1/threads/{threadId}/messages` (same checks, same
         *     status change), then discards it. Idempotent by the draft: a retry returns the message sent.
         */
        post: operations["sendDraft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/presence": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        /** Who views or writes in the thread */
        get: operations["listPresence"];
        /**
         * Report that the agent views or writes in the thread
         * @description A presence lasts 60 s; clients report again every 20 s or so while the thread is open.
         */
        put: operations["reportPresence"];
        post?: never;
        /** Report that the agent left the thread */
        delete: operations["leaveThread"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/read": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Mark the thread read for the agent
         * @description Opening the thread (`GET /v1/threads/{threadId}`) does the same.
         */
        put: operations["markThreadRead"];
        post?: never;
        /** Mark the thread unread for the agent */
        delete: operations["markThreadUnread"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/chat/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Post a customer's chat message as a contact (by contact id, email or external id), into a new or an existing thread
         * @description Counts as the customer's reply (a reminder or waiting thread reopens). Idempotent per `clientMessageId` (the same id again answers the first message).
         */
        post: operations["postChatMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/chat": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An agent's chat message
         * @description Published as `message.sent` with its content (channel chat), for the integrator's chat system or the widget. Unread after the policy's `chatFallbackMinutes`, it is emailed.
         */
        post: operations["sendChatMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/threads/{threadId}/receipts": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A delivery or read receipt of the thread's chat messages, up to a time */
        post: operations["postChatReceipt"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings/widget": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the widget settings */
        get: operations["getWidgetSettings"];
        /** Change the widget settings */
        put: operations["putWidgetSettings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Exchange the host's end-user JWT for a widget token */
        post: operations["createWidgetSession"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/frame/{workspaceId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        /** The widget frame's document (text/html), with CSP frame-ancestors from the widget settings */
        get: operations["getWidgetFrame"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/threads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The end user's threads */
        get: operations["listWidgetThreads"];
        put?: never;
        /** Start a thread from the widget */
        post: operations["startWidgetThread"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/threads/{threadId}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        /** A thread's messages, as the end user sees them */
        get: operations["listWidgetMessages"];
        put?: never;
        /** Reply from the widget */
        post: operations["postWidgetMessage"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/threads/{threadId}/attachments/{attachmentId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
                attachmentId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        /**
         * A short-lived download URL for an attachment of a message the end user sees
         * @description The attachment must be on a message of the thread that the end user is shown (theirs, their customer's colleagues', or an agent's): never on a quarantined, spam or unverified sender's message, and never of another thread or another customer's thread (all 404). The answer is a presigned GET (5 minutes) whose response has Content-Disposition: attachment with the file's name.
         */
        get: operations["getWidgetAttachment"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/uploads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Request a presigned POST for a file to attach
         * @description The type is checked against the allow-list and the size against the cap (10 MiB); the answer is a presigned POST whose policy fixes the key, the Content-Type and the size range. The browser posts the form (fields, then the file) to url, then sends a message with attachments: [{ uploadId }].
         */
        post: operations["createWidgetUpload"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/widget/threads/{threadId}/read": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mark the thread read by the end user */
        post: operations["markWidgetRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/overview": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The workspace's figures over a range of days
         * @description Read from the daily rollups (a few Queries whatever the volume). Days are counted in the time zone
         *     of the business hours (UTC without them). Medians and p90 come from log-scale histograms: within
         *     ±4.4 % of the true value.
         */
        get: operations["getReportOverview"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/by/{dimension}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                dimension: "agent" | "tag" | "mailbox" | "channel";
            };
            cookie?: never;
        };
        /**
         * The same figures per agent, tag, mailbox or channel
         * @description Responses count for the agent who sent them; resolutions for the assignee at the time.
         */
        get: operations["getReportByDimension"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reports/threads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The threads behind a figure
         * @description The events that a figure counts, newest first, with their thread (`slaBreached`: the breaches counted when
         *     their timers fired, unanswered threads among them). With a dimension and a value the page is filtered after
         *     the read and read on until it is full, within a budget of reads: only a page that spent it comes back short,
         *     with a `nextCursor`.
         */
        get: operations["listReportThreads"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The acting agent's notifications (the bell)
         * @description Newest first; `unread=true` lists only the unread ones. `unreadCount` counts the unread up to 99
         *     (`unreadMore` past it). New ones are pushed over the live WebSocket as a change of entity
         *     `notification` (its `id` is the agent's id), to that agent's connections only.
         */
        get: operations["listNotifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Mark notifications read
         * @description Idempotent; a notification read before keeps its first `readAt`. A read notification is never mailed.
         */
        post: operations["markNotificationsRead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/notifications/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The acting agent's notification preferences (effective) */
        get: operations["getNotificationPreferences"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change the acting agent's notification preferences
         * @description Only what the body names changes; the rest keeps following the workspace's defaults.
         */
        patch: operations["updateNotificationPreferences"];
        trace?: never;
    };
    "/v1/settings/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The workspace's default notification rules */
        get: operations["getNotificationDefaults"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the workspace's default notification rules (admins) */
        patch: operations["updateNotificationDefaults"];
        trace?: never;
    };
    "/v1/threads/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Change up to 100 threads at once (assign, tag, status, close)
         * @description Each thread is changed by its own versioned commit, exactly as a PATCH of that thread alone would
         *     (its feed updates, its timer, its live event). With a `version`, a thread changed since is a
         *     `conflict`; without, the current version is used. Every thread gets a result, in request order.
         */
        post: operations["bulkUpdateThreads"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/views": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The queue's views and their counts (Mine, Unassigned, All, Late, Mentions, then saved searches)
         * @description Each view is a filter of GET /v1/threads (`filter`); its count is one COUNT query on that view's own
         *     list partition, capped at 999 (`countMore` past it). Mine and Mentions need an agent. After the
         *     built-in views come the agent's saved searches, then those the others shared. A saved search whose
         *     filter is not exactly one list partition (keywords `q`, `unread`, or filters combined beyond one
         *     facet) is not counted: `countable: false` and no `count`, rather than a read of the threads.
         */
        get: operations["listViews"];
        put?: never;
        /**
         * Save a search (a filter of GET /v1/threads) under a name, for the acting agent
         * @description At most 20 per agent (409 `conflict` past it). `shared: true` lists it for the whole workspace too.
         *     With an `Idempotency-Key`, a retry answers the same saved search.
         */
        post: operations["createSavedView"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/views/{viewId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                viewId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete one of your saved searches (idempotent; one already gone is 204 too) */
        delete: operations["deleteSavedView"];
        options?: never;
        head?: never;
        /** Rename, re-filter or (un)share one of your saved searches */
        patch: operations["updateSavedView"];
        trace?: never;
    };
    "/v1/threads/{threadId}/comments/{itemId}": {
        parameters: {
            query: {
                /** @description The comment's time, as the feed gives it (with its id, the comment's key). */
                at: components["schemas"]["Timestamp"];
            };
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
                itemId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete your own internal comment (the feed keeps it, marked deleted, without its body) */
        delete: operations["deleteComment"];
        options?: never;
        head?: never;
        /**
         * Edit your own internal comment (the feed marks it edited)
         * @description Only the agent who wrote a comment edits it (404 otherwise). Messages are never edited; mail cannot be unsent.
         */
        patch: operations["editComment"];
        trace?: never;
    };
    "/v1/mailboxes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the mailboxes (the workspace's inbound addresses, with their names and From formats) */
        get: operations["listMailboxes"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes/{mailboxId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mailboxId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a mailbox's display name, From format or signature (null removes)
         * @description The address itself is the ops' (`gochat address add`); it must be on a domain verified in SES.
         */
        patch: operations["updateMailbox"];
        trace?: never;
    };
    "/v1/signature": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the workspace's signature (the outer layer: workspace, then mailbox, then agent) */
        get: operations["getWorkspaceSignature"];
        /** Set (or, with null, remove) the workspace's signature */
        put: operations["putWorkspaceSignature"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/signature": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the calling agent's own signature (the inner layer) */
        get: operations["getMySignature"];
        /** Set (or, with null, remove) the calling agent's own signature */
        put: operations["putMySignature"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Mailbox: {
            /** @description Derived from the address; stable. */
            mailboxId: string;
            address: components["schemas"]["Email"];
            /** @example Acme Billing */
            displayName?: string;
            /**
             * @description "Ana from Acme Billing" (agentFromMailbox, the default) or "Acme Billing" alone.
             * @enum {unknown}
             */
            fromFormat: "agentFromMailbox" | "mailbox";
            /** @description The mailbox's signature layer: a template with the templates' variables. */
            signature?: string;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt?: components["schemas"]["Timestamp"];
        };
        MailboxList: {
            items: components["schemas"]["Mailbox"][];
        };
        MailboxPatch: {
            displayName?: string | null;
            /** @enum {unknown} */
            fromFormat?: "agentFromMailbox" | "mailbox";
            signature?: string | null;
        };
        Signature: {
            /** @description A template with the templates' variables (contactName, agentName, mailboxName, workspaceName, threadRef, subject). */
            text: string | null;
        };
        Avatar: {
            /** @description Up to two letters. */
            initials: string;
            /** @description A stable colour per agent. */
            colour: string;
        };
        Agent: {
            /** @description The user pool's `sub`. */
            agentId: string;
            name: string;
            email: components["schemas"]["Email"];
            role: components["schemas"]["Role"];
            avatar: components["schemas"]["Avatar"];
            availability?: components["schemas"]["Availability"];
        };
        /**
         * @description Set by the agent (PUT /v1/me/availability) or an admin: an away agent gets no thread on arrival. Available unless set.
         * @enum {unknown}
         */
        Availability: "available" | "away";
        AgentList: {
            items: components["schemas"]["Agent"][];
        };
        AgentPatch: {
            role?: components["schemas"]["Role"];
            name?: string;
            availability?: components["schemas"]["Availability"];
        };
        Me: {
            workspaceId: components["schemas"]["Id"];
            /** @enum {unknown} */
            kind: "agent" | "key";
            /** @enum {unknown} */
            role: "admin" | "agent" | "readonly" | "integration";
            scopes: components["schemas"]["Scope"][];
            keyId?: string;
            agent?: components["schemas"]["Agent"];
        };
        /** @description A message being written; sent, it needs exactly one of `text` or `templateId`. */
        DraftFields: {
            to?: components["schemas"]["Email"][];
            cc?: components["schemas"]["Email"][];
            /** @description Blind copies (contacts of the thread's customers too); no header names them. */
            bcc?: components["schemas"]["Email"][];
            /** @description Quote the customer's last message under "On <date>, <name> wrote:" (default true). */
            quote?: boolean;
            subject?: string;
            text?: string;
            html?: string;
            templateId?: components["schemas"]["Id"];
            variables?: {
                [key: string]: string | number;
            };
        };
        DraftPatch: {
            /** @description The version the editor saw; a stale one gets 409. */
            version?: number;
            to?: components["schemas"]["Email"][] | null;
            cc?: components["schemas"]["Email"][] | null;
            bcc?: components["schemas"]["Email"][] | null;
            quote?: boolean | null;
            subject?: string | null;
            text?: string | null;
            html?: string | null;
            templateId?: string | null;
            variables?: {
                [key: string]: string | number;
            } | null;
        };
        /** @description The caller's own draft has its fields; a colleague's only says who writes it. */
        Draft: {
            draftId: components["schemas"]["Id"];
            threadId: components["schemas"]["Id"];
            agentId: string;
            agentName?: string;
            version: number;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
            mine: boolean;
            to?: components["schemas"]["Email"][];
            cc?: components["schemas"]["Email"][];
            bcc?: components["schemas"]["Email"][];
            quote?: boolean;
            subject?: string;
            text?: string;
            html?: string;
            templateId?: components["schemas"]["Id"];
            variables?: {
                [key: string]: string | number;
            };
        };
        DraftList: {
            items: components["schemas"]["Draft"][];
        };
        SendDraftRequest: {
            /**
             * @description Status after the send; reminder(1) (or waiting) by default.
             * @enum {unknown}
             */
            status?: "keep" | "open" | "reminder" | "waiting" | "closed";
            reminderIndex?: number;
            /** @description At most 7 MB decoded together. An inline image has a contentId that the draft's html names as cid:. */
            attachments?: components["schemas"]["OutboundAttachment"][];
            /**
             * @description chat: through the chat path, emailed only if unseen. Default: the channel of the customer's last message (email when the draft has cc, bcc, subject, html or attachments).
             * @enum {unknown}
             */
            channel?: "email" | "chat";
        };
        PresenceRequest: {
            /** @enum {unknown} */
            state: "viewing" | "writing";
        };
        Presence: {
            agentId: string;
            agentName?: string;
            /** @enum {unknown} */
            state: "viewing" | "writing";
            at: components["schemas"]["Timestamp"];
            expiresAt: components["schemas"]["Timestamp"];
        };
        PresenceList: {
            items: components["schemas"]["Presence"][];
        };
        Error: {
            error: {
                /** @enum {string} */
                code: "validation_failed" | "unauthorized" | "forbidden" | "not_found" | "method_not_allowed" | "thread_closed" | "thread_merged" | "version_conflict" | "already_exists" | "conflict" | "idempotency_in_progress" | "recipient_not_allowed" | "idempotency_key_reused" | "send_cap_exceeded" | "rate_limited" | "bad_request" | "internal";
                message: string;
                /** @description Machine-readable details (zod issues for validation), or null. */
                details: unknown;
            };
        };
        Id: string;
        AgentId: string;
        /** @description Lower-cased; letters, digits and _.:/- */
        Tag: string;
        /**
         * @description `snoozed`: put aside until `snoozedUntil`; it comes back open then, or at once on a customer's reply.
         * @enum {string}
         */
        Status: "open" | "reminder" | "waiting" | "closed" | "snoozed";
        /** Format: date-time */
        Timestamp: string;
        /**
         * @description What a caller may do. Roles are sets of scopes (admin all; agent the reads and threads:write, customers:write; readonly the reads). agents:act lets a key act as an agent with X-Agent-Id (their drafts, presence and read state included).
         * @enum {string}
         */
        Scope: "threads:read" | "threads:write" | "customers:read" | "customers:write" | "templates:read" | "templates:write" | "agents:read" | "agents:manage" | "agents:act" | "settings:read" | "settings:write" | "keys:manage";
        /** @enum {string} */
        Role: "admin" | "agent" | "readonly";
        /** Format: email */
        Email: string;
        Actor: {
            /** @constant */
            kind: "agent";
            id: string;
            /** @description The signed-in agent's name, when a token made the request. */
            name?: string;
        } | {
            /** @constant */
            kind: "integration";
            keyId: string;
        } | {
            /** @constant */
            kind: "customer";
            contactId: string;
        } | {
            /** @constant */
            kind: "system";
            /** @enum {unknown} */
            id: "ingest" | "workflow" | "assignment";
        };
        MailAddress: {
            address: string;
            name?: string;
        };
        ThreadCard: {
            /** @description For an agent: a message is newer than their last view of the thread. Absent for a key acting alone. */
            unread?: boolean;
            /** @description On list pages, for a thread under an SLA: a target of the current cycle is breached (docs/reports.md). */
            late?: boolean;
            /** @description On list pages: the earliest SLA due time still running. */
            slaDueAt?: components["schemas"]["Timestamp"];
            threadId: components["schemas"]["Id"];
            /** @description The subject tag reference: `[#<ref>]`. */
            ref: string;
            subject: string;
            /** @description The start of the last message's new text. */
            snippet: string;
            status: components["schemas"]["Status"];
            /** @description With status reminder: which reminder is next. */
            reminderIndex?: number;
            assignee?: string;
            tags: string[];
            customerIds: string[];
            hasAttachments: boolean;
            attachmentNames: string[];
            hasMultipleMessages: boolean;
            messageCount: number;
            itemCount: number;
            lastMessageAt?: components["schemas"]["Timestamp"];
            latestContact?: {
                contactId: string;
                email: string;
                name?: string;
                externalId?: string;
            };
            updatedAt: components["schemas"]["Timestamp"];
        };
        Thread: {
            /** @description The closed thread that this one continues. */
            linkedThreadId?: string;
            /** @description Set when this thread was merged away (it is closed); everything about it now lives in that thread. */
            mergedInto?: string;
            /** @description Threads merged into this one, latest last. */
            mergedFrom?: string[];
            /** @description While snoozed */
            snoozedUntil?: components["schemas"]["Timestamp"];
            /** @description The mailbox (inbound address) the thread came in through; answers go From it. */
            mailbox?: string;
            /**
             * @description The channel of the customer's last message: the default channel of an answer.
             * @enum {unknown}
             */
            lastCustomerChannel?: "email" | "chat" | "api";
            createdAt: components["schemas"]["Timestamp"];
            /** @description Send it back with an update (optimistic concurrency). */
            version: number;
            firstResponseAt?: components["schemas"]["Timestamp"];
            /** @description First response of the current cycle, calendar seconds. */
            firstResponseSeconds?: number;
            /** @description The same in business seconds. */
            firstResponseBusinessSeconds?: number;
            sla?: components["schemas"]["ThreadSla"];
        } & components["schemas"]["ThreadCard"];
        ThreadList: {
            items: components["schemas"]["ThreadCard"][];
            nextCursor?: string;
        };
        ThreadPatch: {
            /** @description The thread version you saw (or If-Match). Required one way or the other. */
            version?: number;
            status?: components["schemas"]["Status"];
            reminderIndex?: number;
            /** @description With status snoozed: when the thread comes back (future, within a year). */
            snoozedUntil?: components["schemas"]["Timestamp"];
            assignee?: components["schemas"]["AgentId"] | null;
            tags?: components["schemas"]["Tag"][];
            customerIds?: components["schemas"]["Id"][];
            subject?: string;
        };
        Attachment: {
            attachmentId: string;
            filename: string;
            contentType: string;
            size: number;
            inline: boolean;
            contentId?: string;
        };
        Message: {
            /** @constant */
            type: "message";
            itemId: string;
            at: components["schemas"]["Timestamp"];
            /** @enum {unknown} */
            direction: "inbound" | "outbound";
            messageId: string;
            from: components["schemas"]["MailAddress"];
            to: components["schemas"]["MailAddress"][];
            cc: components["schemas"]["MailAddress"][];
            /** @description Outbound only. */
            bcc?: components["schemas"]["MailAddress"][];
            subject: string;
            /** @description The new text, without quoted history and signature. */
            newText: string;
            text: string;
            html?: string;
            /** @enum {unknown} */
            classification: "ordinary" | "auto_reply" | "bounce" | "complaint";
            flags: {
                unverifiedSender?: boolean;
                spam?: boolean;
                quarantined?: boolean;
                authFailures?: string[];
                error?: string;
                /** @description Text or HTML was cut to its size budget; the raw mail keeps it all. */
                truncated?: boolean;
                /** @description A different mail reusing the Message-ID of one already stored. */
                messageIdReused?: boolean;
            };
            auth?: {
                spf?: string;
                dkim?: string;
                dmarc?: string;
            };
            attachments: components["schemas"]["Attachment"][];
            contactId?: string;
            delivery?: {
                /** @enum {unknown} */
                state: "pending" | "sent" | "failed";
                error?: string;
            };
            automated?: boolean;
            actor?: components["schemas"]["Actor"];
            /**
             * @description How the message travelled; absent means email.
             * @enum {unknown}
             */
            channel?: "email" | "chat" | "api";
            /** @description A chat message that went unseen and was emailed: the email copy's item id. */
            emailedAs?: string;
            /** @description The email copy of an unseen chat message: the chat message's item id. */
            fallbackOf?: string;
        };
        Update: {
            /** @constant */
            type: "update";
            itemId: string;
            at: components["schemas"]["Timestamp"];
            actor: components["schemas"]["Actor"];
            /** @enum {unknown} */
            field: "status" | "assignee" | "tags" | "customers" | "subject" | "reminder" | "merge";
            /** @description The value before (null when unset). */
            from: unknown;
            /** @description The value after (null when unset). */
            to: unknown;
        };
        Comment: {
            /** @constant */
            type: "comment";
            itemId: string;
            at: components["schemas"]["Timestamp"];
            actor: components["schemas"]["Actor"];
            /** @description The agents the comment mentions (each is notified and follows the thread). */
            mentions?: components["schemas"]["AgentId"][];
            /** @description Empty once deleted. */
            body: string;
            /** @description Set when its author edited it. */
            editedAt?: components["schemas"]["Timestamp"];
            /** @description Set when its author deleted it. */
            deletedAt?: components["schemas"]["Timestamp"];
        };
        FeedItem: components["schemas"]["Message"] | components["schemas"]["Update"] | components["schemas"]["Comment"];
        FeedPage: {
            items: components["schemas"]["FeedItem"][];
            nextCursor?: string;
        };
        OutboundAttachment: {
            filename: string;
            /** @example application/pdf */
            contentType: string;
            contentBase64: string;
            /** @description An inline image: the HTML shows it as <img src="cid:<contentId>">. */
            contentId?: string;
        };
        MessageRequest: components["schemas"]["MessageFields"];
        SendMessageRequest: {
            /**
             * @description chat: through the chat path, emailed only if unseen. Default: the channel of the customer's last message.
             * @enum {unknown}
             */
            channel?: "email" | "chat";
        } & components["schemas"]["MessageFields"];
        /** @description Exactly one of `text` or `templateId`. */
        MessageFields: {
            /** @description Defaults to the thread's latest contact. */
            to?: components["schemas"]["Email"][];
            cc?: components["schemas"]["Email"][];
            /** @description Blind copies (contacts of the thread's customers too); no header names them. */
            bcc?: components["schemas"]["Email"][];
            /** @description Quote the customer's last message under "On <date>, <name> wrote:" (default true). */
            quote?: boolean;
            /** @description Defaults to "Re: <thread subject>"; the [#ref] tag is added. */
            subject?: string;
            text?: string;
            /** @description The answer as HTML: sanitised (no scripts, styles, forms; links http(s)/mailto; images cid: or https). `text` stays the text part. */
            html?: string;
            templateId?: components["schemas"]["Id"];
            variables?: {
                [key: string]: string | number;
            };
            /** @description At most 7 MB decoded together. */
            attachments?: components["schemas"]["OutboundAttachment"][];
            /**
             * @description Status after the send; reminder(1) (or waiting) by default.
             * @enum {unknown}
             */
            status?: "keep" | "open" | "reminder" | "waiting" | "closed";
            reminderIndex?: number;
            /** @description The same as the Idempotency-Key header (both given must agree). */
            idempotencyKey?: string;
        };
        StartThreadRequest: {
            customerIds: components["schemas"]["Id"][];
            /** @description The mailbox (one of the workspace's inbound addresses) the thread goes out from; default: the first. */
            mailbox?: components["schemas"]["Email"];
        } & WithRequired<components["schemas"]["MessageFields"], "to" | "subject">;
        StartThreadResult: {
            thread: components["schemas"]["Thread"];
            message: components["schemas"]["Message"];
        };
        MergeRequest: {
            /** @description The thread to merge into the one of the path. */
            threadId: components["schemas"]["Id"];
        };
        CommentRequest: {
            body: string;
            /** @description Agent ids the comment mentions (`@Name` in the Inbox): each must be an agent of the workspace. */
            mentions?: components["schemas"]["AgentId"][];
        };
        AttachmentDownload: {
            attachmentId: string;
            filename: string;
            contentType: string;
            size: number;
            /** Format: uri */
            url: string;
            expiresAt: components["schemas"]["Timestamp"];
        };
        Customer: {
            customerId: string;
            name: string;
            externalId?: string;
            /** @description Created by ingest for an unknown sender. */
            autoCreated: boolean;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        CustomerList: {
            items: components["schemas"]["Customer"][];
            nextCursor?: string;
        };
        CustomerCreate: {
            name: string;
            externalId?: string;
        };
        CustomerPatch: {
            name?: string;
            externalId?: string | null;
        };
        Contact: {
            contactId: string;
            email: string;
            name?: string;
            externalId?: string;
            /** @description Set by a bounce. */
            failing?: {
                since?: components["schemas"]["Timestamp"];
                reason?: string;
            };
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        ContactList: {
            items: components["schemas"]["Contact"][];
            nextCursor?: string;
        };
        ContactCreate: {
            email: components["schemas"]["Email"];
            name?: string;
            externalId?: string;
        };
        ContactPatch: {
            email?: components["schemas"]["Email"];
            name?: string | null;
            externalId?: string | null;
        };
        Template: {
            templateId: string;
            name: string;
            subject?: string;
            /** @description Mustache: {{contactName}}, {{contactEmail}}, {{threadRef}}, {{subject}}, {{agentName}}, and your own variables. */
            body: string;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        TemplateList: {
            items: components["schemas"]["Template"][];
            nextCursor?: string;
        };
        TemplateInput: {
            name: string;
            subject?: string;
            body: string;
        };
        PreviewRequest: {
            variables?: {
                [key: string]: string | number;
            };
            threadId?: components["schemas"]["Id"];
            to?: components["schemas"]["Email"];
        };
        TemplatePreview: {
            subject?: string;
            text: string;
            variables: {
                [key: string]: string | number;
            };
        };
        ChatMessageRequest: {
            contact: {
                contactId: components["schemas"]["Id"];
            } | {
                email: components["schemas"]["Email"];
            } | {
                externalId: string;
            };
            threadId?: components["schemas"]["Id"];
            subject?: string;
            text: string;
            clientMessageId: string;
            attachments?: components["schemas"]["WidgetAttachmentRef"][];
            /**
             * @default chat
             * @enum {unknown}
             */
            channel: "chat" | "api";
        };
        ChatMessageResult: {
            threadId: string;
            createdThread: boolean;
            message: components["schemas"]["Message"];
        };
        AgentChatRequest: {
            text: string;
            /** @enum {unknown} */
            status?: "keep" | "open" | "reminder" | "waiting" | "closed";
        };
        ReceiptRequest: {
            /** @enum {unknown} */
            type: "delivered" | "read";
            at: components["schemas"]["Timestamp"];
        };
        ChatReceipts: {
            deliveredAt?: components["schemas"]["Timestamp"];
            readAt?: components["schemas"]["Timestamp"];
        };
        WidgetSettings: {
            enabled: boolean;
            /** Format: uri */
            jwksUrl?: string;
            jwks?: {
                keys: Record<string, never>[];
            };
            issuer?: string;
            allowedOrigins: string[];
            /**
             * @description Anonymous visitors are off (and not supported yet).
             * @constant
             */
            anonymous?: false;
        };
        WidgetSessionRequest: {
            workspaceId: components["schemas"]["Id"];
            /** @description The host back end's end-user JWT (ES256 or EdDSA; aud = the workspace id; sub = external id; email, name, customerIds; at most 10 minutes). */
            token: string;
        };
        WidgetSession: {
            widgetToken: string;
            expiresAt: components["schemas"]["Timestamp"];
            endUser: {
                contactId: string;
                email: string;
                name?: string;
            };
        };
        WidgetThread: {
            threadId: string;
            ref: string;
            subject: string;
            snippet: string;
            /** @enum {unknown} */
            status: "open" | "closed";
            lastMessageAt?: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        WidgetThreadList: {
            items: components["schemas"]["WidgetThread"][];
        };
        WidgetMessage: {
            itemId: string;
            at: components["schemas"]["Timestamp"];
            /** @enum {unknown} */
            author: "me" | "customer" | "agent";
            authorName?: string;
            /** @enum {unknown} */
            channel: "email" | "chat" | "api";
            text: string;
            attachments: components["schemas"]["WidgetAttachment"][];
        };
        WidgetAttachment: {
            /** @description Its id for GET /v1/widget/threads/{threadId}/attachments/{attachmentId}. */
            attachmentId: string;
            filename: string;
            /** @description Bytes. */
            size: number;
        };
        WidgetThreadRef: {
            threadId: string;
            ref: string;
            subject: string;
        };
        WidgetMessages: {
            thread: components["schemas"]["WidgetThreadRef"];
            items: components["schemas"]["WidgetMessage"][];
            readAt?: components["schemas"]["Timestamp"];
            nextCursor?: string;
        };
        WidgetThreadRequest: {
            subject?: string;
            text: string;
            clientMessageId: string;
            attachments?: components["schemas"]["WidgetAttachmentRef"][];
        };
        WidgetReplyRequest: {
            text: string;
            clientMessageId: string;
            attachments?: components["schemas"]["WidgetAttachmentRef"][];
        };
        WidgetAttachmentRef: {
            /** @description The uploadId of POST /v1/widget/uploads once the file is posted. */
            uploadId: string;
        };
        WidgetUploadRequest: {
            filename: string;
            /** @description One of image/png, image/jpeg, image/gif, image/webp, application/pdf, text/plain, text/csv, application/zip, and the Word and Excel (OOXML) types. */
            contentType: string;
            /** @description Bytes; at most 10485760. */
            size: number;
        };
        WidgetUpload: {
            uploadId: string;
            /** @description Where the browser posts the multipart form. */
            url: string;
            /** @description The form fields to post before the file (field name file). */
            fields: {
                [key: string]: string;
            };
            maxBytes: number;
            expiresAt: components["schemas"]["Timestamp"];
        };
        WidgetReadRequest: {
            upTo: components["schemas"]["Timestamp"];
        };
        WidgetPostResult: {
            thread: components["schemas"]["WidgetThreadRef"];
            message: components["schemas"]["WidgetMessage"];
        };
        StatusPolicy: {
            reminders: number;
            /** @description The last value repeats. */
            reminderDelaysSeconds: number[];
            waitingDelaySeconds: number;
            /** @enum {unknown} */
            afterWaiting: "open" | "closed";
            reminderTemplateId?: string;
            /** @description Minutes after which an agent's chat message unseen by the end user is emailed (10 when absent). */
            chatFallbackMinutes?: number;
        };
        Settings: {
            policy: components["schemas"]["StatusPolicy"];
            sendCapPerAddress: number;
            sendCapWindowSeconds: number;
            /** @description Read-only here; ops add them. */
            inboundAddresses: string[];
            businessHours?: components["schemas"]["BusinessHours"];
            sla?: components["schemas"]["SlaPolicy"];
            /** @description New threads (mail or chat) are assigned round-robin among the available agents. Off by default. */
            assignOnArrival?: boolean;
            updatedAt?: components["schemas"]["Timestamp"];
        };
        SettingsInput: {
            policy?: components["schemas"]["StatusPolicy"];
            sendCapPerAddress?: number;
            sendCapWindowSeconds?: number;
            /** @description Left out keeps the current hours; null clears them (every hour counts). */
            businessHours?: components["schemas"]["BusinessHours"] | null;
            /** @description Left out keeps the current policy; null clears it (no SLA). */
            sla?: components["schemas"]["SlaPolicy"] | null;
            /** @description Assign new threads round-robin among the available agents. Left out keeps the current value. */
            assignOnArrival?: boolean;
        };
        HoursSpan: {
            /** @description Wall-clock HH:MM in the time zone. */
            start: string;
            /** @description After start; 24:00 is midnight at the end of the day. */
            end: string;
        };
        DayHours: components["schemas"]["HoursSpan"][];
        /** @description Business time counts only within these hours. A 09:00-17:00 day stays eight hours across a daylight-saving change. */
        BusinessHours: {
            /** @description IANA time zone, e.g. Europe/Paris. */
            timeZone: string;
            /** @description The spans of each weekday; a day left out has no hours. */
            week: {
                mon?: components["schemas"]["DayHours"];
                tue?: components["schemas"]["DayHours"];
                wed?: components["schemas"]["DayHours"];
                thu?: components["schemas"]["DayHours"];
                fri?: components["schemas"]["DayHours"];
                sat?: components["schemas"]["DayHours"];
                sun?: components["schemas"]["DayHours"];
            };
            /** @description Local dates with no hours. */
            holidays?: string[];
        };
        /** @description Targets in business minutes; each is optional. */
        SlaPolicy: {
            firstResponseMinutes?: number;
            nextResponseMinutes?: number;
            resolutionMinutes?: number;
            /** @description The warning comes at this share of the target (80 when absent). */
            warningPercent?: number;
        };
        SlaClock: {
            startedAt: components["schemas"]["Timestamp"];
            dueAt: components["schemas"]["Timestamp"];
            warnedAt?: components["schemas"]["Timestamp"];
            breachedAt?: components["schemas"]["Timestamp"];
            warnAt: components["schemas"]["Timestamp"];
            /** @enum {unknown} */
            outcome?: "met" | "breached";
            /**
             * @description met or breached once settled; else by the time now.
             * @enum {unknown}
             */
            state: "pending" | "warning" | "met" | "breached";
        };
        /** @description The SLA clocks of the thread's current cycle (a reopened thread starts a new one). */
        ThreadSla: {
            cycle: number;
            firstResponse?: components["schemas"]["SlaClock"];
            nextResponse?: components["schemas"]["SlaClock"];
            resolution?: components["schemas"]["SlaClock"];
        };
        DurationFigures: {
            count: number;
            /** @description Seconds. */
            median: number | null;
            /** @description Seconds. */
            p90: number | null;
        };
        SlaCount: {
            met: number;
            breached: number;
        };
        ReportFigures: {
            created: number;
            resolved: number;
            reopened: number;
            merged: number;
            /** @description Messages sent by agents. */
            replies: number;
            /** @description Reopened ÷ resolved. */
            reopenRate: number | null;
            firstResponse: {
                calendar: components["schemas"]["DurationFigures"];
                business: components["schemas"]["DurationFigures"];
            };
            resolution: {
                calendar: components["schemas"]["DurationFigures"];
                business: components["schemas"]["DurationFigures"];
            };
            sla: {
                met: number;
                breached: number;
                metPercent: number | null;
                byTarget: {
                    firstResponse: components["schemas"]["SlaCount"];
                    nextResponse: components["schemas"]["SlaCount"];
                    resolution: components["schemas"]["SlaCount"];
                };
            };
        };
        /** @description For each figure, the request that lists its threads. */
        ReportLinks: {
            [key: string]: string;
        };
        ReportOverview: {
            /** Format: date */
            from: string;
            /** Format: date */
            to: string;
            timeZone: string;
            figures: components["schemas"]["ReportFigures"];
            days: {
                /** Format: date */
                day: string;
                figures: components["schemas"]["ReportFigures"];
            }[];
            links: components["schemas"]["ReportLinks"];
        };
        ReportByDimension: {
            /** Format: date */
            from: string;
            /** Format: date */
            to: string;
            /** @enum {unknown} */
            dimension: "agent" | "tag" | "mailbox" | "channel";
            timeZone: string;
            items: {
                value: string;
                figures: components["schemas"]["ReportFigures"];
                links: components["schemas"]["ReportLinks"];
            }[];
        };
        ReportThreadList: {
            items: {
                threadId: string;
                at: components["schemas"]["Timestamp"];
                cycle: number;
                agent?: string;
                seconds?: number;
                businessSeconds?: number;
                /** @enum {unknown} */
                sla?: "met" | "breached";
            }[];
            nextCursor?: string;
        };
        ApiKey: {
            keyId: string;
            name: string;
            /** @description `gck_<keyId>`: recognisable, not usable. */
            displayPrefix: string;
            createdAt: components["schemas"]["Timestamp"];
            scopes: components["schemas"]["Scope"][];
            revokedAt?: components["schemas"]["Timestamp"];
        };
        ApiKeyList: {
            items: components["schemas"]["ApiKey"][];
        };
        ApiKeyCreate: {
            name: string;
            /** @description Absent, the key gets every scope of its creator; never more than the creator holds (403). */
            scopes?: components["schemas"]["Scope"][];
        };
        ApiKeyCreated: {
            keyId: string;
            name: string;
            displayPrefix: string;
            createdAt: components["schemas"]["Timestamp"];
            scopes: components["schemas"]["Scope"][];
            /** @description The key itself: shown this once, stored only as a hash. */
            apiKey: string;
        };
        /** @enum {unknown} */
        NotificationEvent: "assigned" | "answered" | "mentioned" | "newThread" | "slaWarning" | "slaBreach";
        /** @enum {unknown} */
        NotificationChannel: "app" | "browser" | "email";
        Notification: {
            notificationId: string;
            threadId: string;
            event: components["schemas"]["NotificationEvent"];
            at: components["schemas"]["Timestamp"];
            subject: string;
            threadRef?: string;
            excerpt?: string;
            actor?: components["schemas"]["Actor"];
            channels: components["schemas"]["NotificationChannel"][];
            read: boolean;
            readAt?: components["schemas"]["Timestamp"];
        };
        NotificationList: {
            items: components["schemas"]["Notification"][];
            nextCursor?: string;
            unreadCount: number;
            /** @description More than 99 unread. */
            unreadMore: boolean;
        };
        NotificationReadRequest: {
            notificationIds: string[];
        };
        ChannelRules: {
            app: boolean;
            browser: boolean;
            email: boolean;
        };
        ChannelRulesPatch: {
            app?: boolean;
            browser?: boolean;
            email?: boolean;
        };
        NotificationRules: {
            assigned: components["schemas"]["ChannelRules"];
            answered: components["schemas"]["ChannelRules"];
            mentioned: components["schemas"]["ChannelRules"];
            newThread: components["schemas"]["ChannelRules"];
            slaWarning: components["schemas"]["ChannelRules"];
            slaBreach: components["schemas"]["ChannelRules"];
        };
        FollowedViews: ("unassigned" | "all")[];
        NotificationPreferences: {
            rules: components["schemas"]["NotificationRules"];
            followedViews: components["schemas"]["FollowedViews"];
        };
        NotificationDefaults: {
            rules: components["schemas"]["NotificationRules"];
            followedViews?: components["schemas"]["FollowedViews"];
        };
        NotificationPreferencesPatch: {
            rules?: {
                assigned?: components["schemas"]["ChannelRulesPatch"];
                answered?: components["schemas"]["ChannelRulesPatch"];
                mentioned?: components["schemas"]["ChannelRulesPatch"];
                newThread?: components["schemas"]["ChannelRulesPatch"];
                slaWarning?: components["schemas"]["ChannelRulesPatch"];
                slaBreach?: components["schemas"]["ChannelRulesPatch"];
            };
            followedViews?: components["schemas"]["FollowedViews"];
        };
        BulkRequest: {
            threads: {
                threadId: components["schemas"]["Id"];
                version?: number;
            }[];
            assignee?: components["schemas"]["AgentId"] | null;
            addTags?: string[];
            removeTags?: string[];
            /** @enum {unknown} */
            status?: "open" | "reminder" | "waiting" | "closed" | "snoozed";
            /**
             * Format: date-time
             * @description With status snoozed (and only then): when the threads come back; in the future, within a year.
             */
            snoozedUntil?: string;
        };
        BulkResults: {
            results: {
                threadId: string;
                /** @enum {unknown} */
                result: "done" | "conflict" | "notFound" | "invalid";
                version?: number;
                changed?: boolean;
                currentVersion?: number;
                message?: string;
            }[];
        };
        ViewList: {
            items: {
                /** @description mine, unassigned, all, late, mentions, or a saved search's id */
                id: string;
                /** @enum {unknown} */
                kind: "builtin" | "saved";
                name: string;
                filter: {
                    [key: string]: string;
                };
                /** @description false: a saved search whose filter is not one list partition; no count. */
                countable: boolean;
                count?: number;
                countMore?: boolean;
                shared?: boolean;
                ownerId?: components["schemas"]["AgentId"];
                /** @description The acting agent's own saved search (they may rename and delete it). */
                mine?: boolean;
                createdAt?: components["schemas"]["Timestamp"];
            }[];
        };
        /** @description Query parameters of GET /v1/threads, as strings. */
        SavedViewFilter: {
            status?: string;
            assignee?: string;
            tag?: string;
            customer?: string;
            hasAttachments?: string;
            quarantined?: string;
            q?: string;
            unread?: string;
        };
        SavedViewRequest: {
            name: string;
            filter: components["schemas"]["SavedViewFilter"];
            /** @default false */
            shared: boolean;
        };
        SavedViewPatch: {
            name?: string;
            filter?: components["schemas"]["SavedViewFilter"];
            shared?: boolean;
        };
        SavedView: {
            id: string;
            /** @enum {unknown} */
            kind: "saved";
            name: string;
            filter: {
                [key: string]: string;
            };
            shared: boolean;
            ownerId: components["schemas"]["AgentId"];
            mine: boolean;
            createdAt: components["schemas"]["Timestamp"];
            countable: boolean;
        };
    };
    responses: {
        /** @description An error */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        ThreadId: components["schemas"]["Id"];
        CustomerId: components["schemas"]["Id"];
        ContactId: components["schemas"]["Id"];
        TemplateId: components["schemas"]["Id"];
        Limit: number;
        /** @description The `nextCursor` of the previous page. */
        Cursor: string;
        /** @description First day (YYYY-MM-DD) in the workspace's time zone. */
        ReportFrom: string;
        /** @description Last day (YYYY-MM-DD), included; at most 366 days after from. */
        ReportTo: string;
        DraftId: components["schemas"]["Id"];
        /** @description The agent this request is made for. */
        AgentIdHeader: components["schemas"]["AgentId"];
        /**
         * @description Makes the write safe to retry. Within a workspace, a request with a key that was used before (for
         *     24 hours) creates nothing: it answers 201 with the first request's thread, message or comment and
         *     `Idempotent-Replayed: true`, also when both requests run at once (the second waits for the first).
         *     The same key with a different request (body, path or actor) is refused with 422
         *     `idempotency_key_reused`; 409 `idempotency_in_progress` when the first is still running after 10 s.
         *     A request that failed records nothing: retrying it with the same key runs it again.
         */
        IdempotencyKey: string;
    };
    requestBodies: never;
    headers: {
        /** @description `true` when the body is the result of an earlier request with the same Idempotency-Key. */
        IdempotentReplayed: "true";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listThreads: {
        parameters: {
            query?: {
                status?: components["schemas"]["Status"];
                /** @description An agent id, or `none` for unassigned threads. */
                assignee?: components["schemas"]["AgentId"];
                tag?: components["schemas"]["Tag"];
                customer?: components["schemas"]["Id"];
                hasAttachments?: "true" | "false";
                /** @description The quarantine view: only threads opened by quarantined (virus-verdict) mail, which no other list shows. */
                quarantined?: "true" | "false";
                /** @description The Late view: threads with a breached SLA clock, not closed (issue 24; its own sparse list). Only `true`; not with `q` (400). */
                late?: "true";
                /** @description Keywords; every word must match. */
                q?: string;
                /** @description Only the threads updated at or after this time (ISO 8601 with a time zone). A live client catches up with it after a reconnect (docs/live.md); still one query a page. */
                updatedSince?: string;
                /**
                 * @description For the acting agent: only the threads with (`true`) or without (`false`) a message newer than the
                 *     agent's last view. Such a page reads at most 5 list pages and can come back short with a `nextCursor`.
                 */
                unread?: "true" | "false";
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of thread cards */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ThreadList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    startThread: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
                /**
                 * @description Makes the write safe to retry. Within a workspace, a request with a key that was used before (for
                 *     24 hours) creates nothing: it answers 201 with the first request's thread, message or comment and
                 *     `Idempotent-Replayed: true`, also when both requests run at once (the second waits for the first).
                 *     The same key with a different request (body, path or actor) is refused with 422
                 *     `idempotency_key_reused`; 409 `idempotency_in_progress` when the first is still running after 10 s.
                 *     A request that failed records nothing: retrying it with the same key runs it again.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["StartThreadRequest"];
            };
        };
        responses: {
            /** @description The thread and its message (an earlier request's, with the same Idempotency-Key) */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StartThreadResult"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getThread: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The thread */
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thread"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateThread: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
                /** @description The thread version, e.g. "3" (or `version` in the body). */
                "If-Match"?: string;
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ThreadPatch"];
            };
        };
        responses: {
            /** @description The updated thread */
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thread"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getFeed: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of feed items */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FeedPage"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    sendMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
                /**
                 * @description Makes the write safe to retry. Within a workspace, a request with a key that was used before (for
                 *     24 hours) creates nothing: it answers 201 with the first request's thread, message or comment and
                 *     `Idempotent-Replayed: true`, also when both requests run at once (the second waits for the first).
                 *     The same key with a different request (body, path or actor) is refused with 422
                 *     `idempotency_key_reused`; 409 `idempotency_in_progress` when the first is still running after 10 s.
                 *     A request that failed records nothing: retrying it with the same key runs it again.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SendMessageRequest"];
            };
        };
        responses: {
            /** @description The outbound message (an earlier request's, with the same Idempotency-Key) */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    mergeThread: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MergeRequest"];
            };
        };
        responses: {
            /** @description The surviving thread */
            200: {
                headers: {
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Thread"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    addComment: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
                /**
                 * @description Makes the write safe to retry. Within a workspace, a request with a key that was used before (for
                 *     24 hours) creates nothing: it answers 201 with the first request's thread, message or comment and
                 *     `Idempotent-Replayed: true`, also when both requests run at once (the second waits for the first).
                 *     The same key with a different request (body, path or actor) is refused with 422
                 *     `idempotency_key_reused`; 409 `idempotency_in_progress` when the first is still running after 10 s.
                 *     A request that failed records nothing: retrying it with the same key runs it again.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentRequest"];
            };
        };
        responses: {
            /** @description The comment (an earlier request's, with the same Idempotency-Key) */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getAttachment: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
                attachmentId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The download */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttachmentDownload"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listCustomers: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Customers by name */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CustomerCreate"];
            };
        };
        responses: {
            /** @description The customer */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    deleteCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateCustomer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CustomerPatch"];
            };
        };
        responses: {
            /** @description The customer */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Customer"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listContactsOfCustomer: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The customer's contacts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    linkContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Linked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    unlinkContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                customerId: components["parameters"]["CustomerId"];
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unlinked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listContacts: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Find the contact with this address. */
                email?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Contacts by address */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ContactList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createContact: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContactCreate"];
            };
        };
        responses: {
            /** @description The contact */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The contact */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    deleteContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted, with its links */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateContact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ContactPatch"];
            };
        };
        responses: {
            /** @description The contact */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Contact"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listCustomersOfContact: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                contactId: components["parameters"]["ContactId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The contact's customers */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CustomerList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listTemplates: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Templates */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplateList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateInput"];
            };
        };
        responses: {
            /** @description The template */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: components["parameters"]["TemplateId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    replaceTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: components["parameters"]["TemplateId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TemplateInput"];
            };
        };
        responses: {
            /** @description The template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Template"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    deleteTemplate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                templateId: components["parameters"]["TemplateId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    previewTemplate: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                templateId: components["parameters"]["TemplateId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["PreviewRequest"];
            };
        };
        responses: {
            /** @description The rendered template */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TemplatePreview"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Settings"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    putSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SettingsInput"];
            };
        };
        responses: {
            /** @description The workspace settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Settings"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The workspace's keys (never their secrets) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApiKeyCreate"];
            };
        };
        responses: {
            /** @description The new key */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyCreated"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listAgents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The agents */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateAgent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                agentId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentPatch"];
            };
        };
        responses: {
            /** @description The agent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getMe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Me"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    setMyAvailability: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    availability: components["schemas"]["Availability"];
                };
            };
        };
        responses: {
            /** @description The agent */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Agent"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listDrafts: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The drafts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DraftList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createDraft: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
                /**
                 * @description Makes the write safe to retry. Within a workspace, a request with a key that was used before (for
                 *     24 hours) creates nothing: it answers 201 with the first request's thread, message or comment and
                 *     `Idempotent-Replayed: true`, also when both requests run at once (the second waits for the first).
                 *     The same key with a different request (body, path or actor) is refused with 422
                 *     `idempotency_key_reused`; 409 `idempotency_in_progress` when the first is still running after 10 s.
                 *     A request that failed records nothing: retrying it with the same key runs it again.
                 */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DraftFields"];
            };
        };
        responses: {
            /** @description The draft */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Draft"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getDraft: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
                draftId: components["parameters"]["DraftId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The draft */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Draft"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    discardDraft: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
                draftId: components["parameters"]["DraftId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discarded */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateDraft: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
                draftId: components["parameters"]["DraftId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DraftPatch"];
            };
        };
        responses: {
            /** @description The draft */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Draft"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    sendDraft: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
                draftId: components["parameters"]["DraftId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["SendDraftRequest"];
            };
        };
        responses: {
            /** @description The message sent */
            201: {
                headers: {
                    "Idempotent-Replayed": components["headers"]["IdempotentReplayed"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            422: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listPresence: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The live presences */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PresenceList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    reportPresence: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PresenceRequest"];
            };
        };
        responses: {
            /** @description The live presences, the caller's included */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PresenceList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    leaveThread: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Left */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    markThreadRead: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Read */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    markThreadUnread: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Unread */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    postChatMessage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChatMessageRequest"];
            };
        };
        responses: {
            /** @description The message, in its thread */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatMessageResult"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    sendChatMessage: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentChatRequest"];
            };
        };
        responses: {
            /** @description The message */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Message"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    postChatReceipt: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReceiptRequest"];
            };
        };
        responses: {
            /** @description The thread's receipts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatReceipts"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getWidgetSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The widget settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetSettings"];
                };
            };
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    putWidgetSettings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetSettings"];
            };
        };
        responses: {
            /** @description The widget settings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetSettings"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createWidgetSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetSessionRequest"];
            };
        };
        responses: {
            /** @description The widget token (keep it in memory; send it as X-Widget-Token) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetSession"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getWidgetFrame: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                workspaceId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The frame document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
            400: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listWidgetThreads: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The end user's threads (their customers'), newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetThreadList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    startWidgetThread: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetThreadRequest"];
            };
        };
        responses: {
            /** @description The new thread and its first message */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetPostResult"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listWidgetMessages: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The thread's messages (never updates or comments), oldest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetMessages"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    postWidgetMessage: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetReplyRequest"];
            };
        };
        responses: {
            /** @description The reply */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetPostResult"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getWidgetAttachment: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
                attachmentId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The download */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttachmentDownload"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createWidgetUpload: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetUploadRequest"];
            };
        };
        responses: {
            /** @description The presigned POST */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WidgetUpload"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    markWidgetRead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                threadId: components["parameters"]["ThreadId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WidgetReadRequest"];
            };
        };
        responses: {
            /** @description The thread's receipts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChatReceipts"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            429: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getReportOverview: {
        parameters: {
            query: {
                /** @description First day (YYYY-MM-DD) in the workspace's time zone. */
                from: components["parameters"]["ReportFrom"];
                /** @description Last day (YYYY-MM-DD), included; at most 366 days after from. */
                to: components["parameters"]["ReportTo"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures, in total and per day */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportOverview"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getReportByDimension: {
        parameters: {
            query: {
                /** @description First day (YYYY-MM-DD) in the workspace's time zone. */
                from: components["parameters"]["ReportFrom"];
                /** @description Last day (YYYY-MM-DD), included; at most 366 days after from. */
                to: components["parameters"]["ReportTo"];
            };
            header?: never;
            path: {
                dimension: "agent" | "tag" | "mailbox" | "channel";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The figures per value */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportByDimension"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listReportThreads: {
        parameters: {
            query: {
                metric: "created" | "resolved" | "reopened" | "merged" | "firstResponse" | "slaBreached";
                /** @description First day (YYYY-MM-DD) in the workspace's time zone. */
                from: components["parameters"]["ReportFrom"];
                /** @description Last day (YYYY-MM-DD), included; at most 366 days after from. */
                to: components["parameters"]["ReportTo"];
                dimension?: "agent" | "tag" | "mailbox" | "channel";
                value?: string;
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportThreadList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listNotifications: {
        parameters: {
            query?: {
                limit?: components["parameters"]["Limit"];
                /** @description The `nextCursor` of the previous page. */
                cursor?: components["parameters"]["Cursor"];
                unread?: "true" | "false";
                /** @description Only this event (the Mentions list: `mentioned`). A filter on the page read, so a page may hold fewer than `limit`; follow `nextCursor`. */
                event?: components["schemas"]["NotificationEvent"];
            };
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The notifications */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    markNotificationsRead: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotificationReadRequest"];
            };
        };
        responses: {
            /** @description How many of them exist */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        marked: number;
                    };
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getNotificationPreferences: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The preferences */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPreferences"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateNotificationPreferences: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotificationPreferencesPatch"];
            };
        };
        responses: {
            /** @description The preferences now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationPreferences"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getNotificationDefaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The defaults */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationDefaults"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateNotificationDefaults: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NotificationPreferencesPatch"];
            };
        };
        responses: {
            /** @description The defaults now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationDefaults"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    bulkUpdateThreads: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkRequest"];
            };
        };
        responses: {
            /** @description A result per thread */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResults"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listViews: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The views */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ViewList"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    createSavedView: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SavedViewRequest"];
            };
        };
        responses: {
            /** @description The saved search */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedView"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            409: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    deleteSavedView: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                viewId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateSavedView: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                viewId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SavedViewPatch"];
            };
        };
        responses: {
            /** @description The saved search now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SavedView"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    deleteComment: {
        parameters: {
            query: {
                /** @description The comment's time, as the feed gives it (with its id, the comment's key). */
                at: components["schemas"]["Timestamp"];
            };
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
                itemId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The comment as the feed keeps it */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    editComment: {
        parameters: {
            query: {
                /** @description The comment's time, as the feed gives it (with its id, the comment's key). */
                at: components["schemas"]["Timestamp"];
            };
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path: {
                threadId: components["parameters"]["ThreadId"];
                itemId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommentRequest"];
            };
        };
        responses: {
            /** @description The comment */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Comment"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    listMailboxes: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The mailboxes */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MailboxList"];
                };
            };
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    updateMailbox: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                mailboxId: components["schemas"]["Id"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MailboxPatch"];
            };
        };
        responses: {
            /** @description The mailbox */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Mailbox"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            404: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getWorkspaceSignature: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signature */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Signature"];
                };
            };
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    putWorkspaceSignature: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Signature"];
            };
        };
        responses: {
            /** @description The signature */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Signature"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    getMySignature: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signature */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Signature"];
                };
            };
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
    putMySignature: {
        parameters: {
            query?: never;
            header?: {
                /** @description The agent this request is made for. */
                "X-Agent-Id"?: components["parameters"]["AgentIdHeader"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Signature"];
            };
        };
        responses: {
            /** @description The signature */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Signature"];
                };
            };
            400: components["responses"]["Error"];
            401: components["responses"]["Error"];
            403: components["responses"]["Error"];
            default: components["responses"]["Error"];
        };
    };
}
type WithRequired<T, K extends keyof T> = T & {
    [P in K]-?: T[P];
};
