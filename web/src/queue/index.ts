/** The queue feature's public face (issue 21): the bell, the side bar's views. */
import './queue.css';

export { Bell } from './bell.tsx';
export { MyNotificationPrefs, NotificationDefaults } from './notification-prefs.tsx';
export { ViewLinks } from './view-links.tsx';
