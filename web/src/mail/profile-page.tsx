import { AvailabilitySwitch } from '../agents/index.ts';
import { t } from '../i18n/index.ts';
import { MyNotificationPrefs } from '../queue/index.ts';
import { SignatureForm } from './mail-settings.tsx';

/** My profile: what belongs to the signed-in agent (for now, their own signature: the inner layer). */
export function ProfilePage() {
  return (
    <div className="page">
      <h1>{t('mail.myProfile')}</h1>
      <AvailabilitySwitch />
      <SignatureForm layer="me" />
      <MyNotificationPrefs />
    </div>
  );
}
