/** The templates feature's public face. The admin page itself is loaded on demand by the app's routes. */
export { templateQueries } from './queries.ts';
export { useTemplatePreview, useTemplates } from './use-templates.ts';
