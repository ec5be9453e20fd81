import { ParleyOfficeAdmin } from './parley-office-admin.component.js';

if (!customElements.get('parley-office-admin')) customElements.define('parley-office-admin', ParleyOfficeAdmin);

export { ParleyOfficeAdmin };

declare global {
  interface HTMLElementTagNameMap {
    'parley-office-admin': ParleyOfficeAdmin;
  }
}
