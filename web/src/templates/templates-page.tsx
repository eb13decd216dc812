import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Schemas } from '../api/client.ts';
import { t } from '../i18n/index.ts';
import { Button, useToast } from '../ui/index.ts';
import { templateQueries } from './queries.ts';
import './templates.css';
import { deleteTemplate, useSaveTemplate, useTemplates } from './use-templates.ts';

/**
 * Deleting a template hides it at once and offers Undo; the DELETE is sent when the toast goes. Nothing is
 * lost by a slip of the mouse, and the API needs no restore route.
 */
function useDeferredDelete() {
  const qc = useQueryClient();
  const toast = useToast();
  const [error, setError] = useState<string>();
  const key = templateQueries.list().queryKey;
  return {
    error,
    remove: (template: Schemas['Template']) => {
      setError(undefined);
      const before = qc.getQueryData<Schemas['Template'][]>(key);
      qc.setQueryData<Schemas['Template'][]>(key, (list) => list?.filter((x) => x.templateId !== template.templateId));
      toast({
        message: t('templates.deleted', { name: template.name }),
        undo: () => qc.setQueryData(key, before),
        onExpire: () => {
          deleteTemplate(template.templateId)
            .catch((e: Error) => setError(e.message))
            .finally(() => qc.invalidateQueries({ queryKey: templateQueries.all() }));
        },
      });
    },
  };
}

/** Admin: templates, Mustache bodies with {{contactName}}, {{threadRef}}, {{agentName}}… */
export function TemplatesPage() {
  const templates = useTemplates();
  const [editing, setEditing] = useState<Schemas['Template'] | 'new'>();
  const del = useDeferredDelete();
  return (
    <div className="page">
      <h1>{t('nav.templates')}</h1>
      <button type="button" onClick={() => setEditing('new')}>
        {t('templates.new')}
      </button>
      {editing && (
        <TemplateForm
          key={editing === 'new' ? 'new' : editing.templateId}
          template={editing === 'new' ? undefined : editing}
          onDone={() => setEditing(undefined)}
        />
      )}
      <ul className="templates">
        {templates.data?.map((tpl) => (
          <li key={tpl.templateId}>
            <h2>{tpl.name}</h2>
            {tpl.subject && <p className="subject">{tpl.subject}</p>}
            <pre className="body">{tpl.body}</pre>
            <div className="actions">
              <Button onClick={() => setEditing(tpl)} aria-label={`${t('common.edit')} ${tpl.name}`}>
                {t('common.edit')}
              </Button>
              <Button variant="danger" onClick={() => del.remove(tpl)} aria-label={`${t('common.delete')} ${tpl.name}`}>
                {t('common.delete')}
              </Button>
            </div>
          </li>
        ))}
      </ul>
      {del.error && <p role="alert">{del.error}</p>}
    </div>
  );
}

function TemplateForm({ template, onDone }: { template?: Schemas['Template']; onDone: () => void }) {
  const [name, setName] = useState(template?.name ?? '');
  const [subject, setSubject] = useState(template?.subject ?? '');
  const [body, setBody] = useState(template?.body ?? '');
  const save = useSaveTemplate();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await save.mutateAsync({
      templateId: template?.templateId,
      input: { name, body, ...(subject ? { subject } : {}) },
    });
    onDone();
  };
  return (
    <form className="stack-form" onSubmit={(e) => submit(e).catch(() => {})}>
      <h2>{template ? `Edit ${template.name}` : 'New template'}</h2>
      <label>
        {t('common.name')}
        <input required value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('templates.subject')}
        <input value={subject} onChange={(e) => setSubject(e.target.value)} />
      </label>
      <label>
        {t('templates.body')}
        <textarea
          required
          rows={6}
          value={body}
          onChange={(e) => setBody(e.target.value)}
          aria-describedby="template-vars"
        />
      </label>
      <p id="template-vars" className="hint">
        Variables: {'{{contactName}}'}, {'{{contactEmail}}'}, {'{{threadRef}}'}, {'{{subject}}'}, {'{{agentName}}'}
      </p>
      {save.isError && <p role="alert">{save.error.message}</p>}
      <button type="submit">{t('templates.save')}</button>{' '}
      <button type="button" onClick={onDone}>
        {t('common.cancel')}
      </button>
    </form>
  );
}
