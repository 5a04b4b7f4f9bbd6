// Applies a scripted network event to the modem (modem/events/network-event.ts). What each does on the
// UART follows the Quectel BG96 TCP/IP AT Commands Manual (URC "pdpdeact", "closed") and 3GPP TS 27.007
// (+CEREG); the modem reboot is Bg96Modem's own (it owns the AT engine).
import { reportRegistration } from '../commands/network.ts';
import type { ModemContext } from '../modem-context.ts';
import type { ModemSocket } from '../sockets/modem-socket.ts';
import type { NetworkEventResult, NetworkEventSpec } from './network-event.ts';

/** Every event but the reboot; the reboot needs the engine (Bg96Modem.applyNetworkEvent). */
export function applyNetworkEvent(ctx: ModemContext, spec: NetworkEventSpec): NetworkEventResult {
  const { event } = spec;
  switch (event) {
    case 'pdp-deactivate':
      return { event, sockets: deactivateContext(ctx, spec.contextId ?? 1) };
    case 'detach':
      return { event, sockets: detach(ctx) };
    case 'reattach':
      reattach(ctx);
      return { event, sockets: [] };
    case 'server-reset':
      // Datagram sockets have no connection to reset.
      return {
        event,
        sockets: connectedSockets(ctx, spec)
          .filter((s) => s.info.service === 'TCP' || s.info.service === 'SSLClient')
          .map(resetByPeer),
      };
    case 'server-silent-drop':
      return { event, sockets: connectedSockets(ctx, spec).map(cutOff) };
    case 'modem-reboot':
      throw new Error('the modem reboots itself (Bg96Modem.applyNetworkEvent)');
  }
}

/**
 * The network tears a PDP context down: its sockets are gone and the modem says
 * `+QIURC: "pdpdeact",<contextID>` (the host must AT+QIDEACT before activating again).
 */
export function deactivateContext(ctx: ModemContext, contextId: number): number[] {
  const context = ctx.state.contexts.get(contextId);
  if (!context?.active) return [];
  const ids = ctx.sockets
    .all()
    .filter((s) => s.info.contextId === contextId)
    .map((s) => s.info.id);
  ctx.dropSockets(contextId);
  context.active = false;
  ctx.urc(`+QIURC: "pdpdeact",${contextId}`);
  ctx.log.info(`network deactivated PDP context ${contextId} (sockets ${ids.join(', ') || 'none'})`);
  return ids;
}

/** An EPS detach: no bearer is left, so every active context goes first, then the registration URC. */
function detach(ctx: ModemContext): number[] {
  if (!ctx.state.networkAttached) return [];
  const ids = [...ctx.state.contexts.values()].flatMap((context) => deactivateContext(ctx, context.id));
  ctx.state.networkAttached = false;
  ctx.log.info('network detached the modem');
  reportRegistration(ctx);
  return ids;
}

function reattach(ctx: ModemContext): void {
  if (ctx.state.networkAttached) return;
  ctx.state.networkAttached = true;
  ctx.log.info('modem registered again');
  reportRegistration(ctx);
}

/** The connected TCP/SSL sockets an event targets: one connect id, or all of them. */
function connectedSockets(ctx: ModemContext, spec: NetworkEventSpec): ModemSocket[] {
  return ctx.sockets
    .all()
    .filter((s) => s.connected && (spec.connectId === undefined || s.info.id === spec.connectId));
}

function resetByPeer(socket: ModemSocket): number {
  socket.resetByPeer();
  return socket.info.id;
}

function cutOff(socket: ModemSocket): number {
  socket.cutOff();
  return socket.info.id;
}
