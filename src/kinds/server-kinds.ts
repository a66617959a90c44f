import { apacheKind } from './apache-kind.js'
import { appKind } from './app-kind.js'
import { haproxyKind } from './haproxy-kind.js'
import { nginxKind } from './nginx-kind.js'
import { phpFpmKind } from './php-fpm-kind.js'
import type { ServerKind } from './server-kind.js'
import { uwsgiKind } from './uwsgi-kind.js'

/**
 * Every server kind bench can launch, by name. Pure: the profile's schema and rules read it. A new kind is its
 * module and one line here.
 */
export const serverKinds = {
  app: appKind,
  nginx: nginxKind,
  haproxy: haproxyKind,
  apache: apacheKind,
  'php-fpm': phpFpmKind,
  uwsgi: uwsgiKind,
} as const satisfies Record<string, ServerKind>
