import {
  Controller,
  Get,
  Param,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { Connection, ConnectionsService } from './connections.service';
import { formResult } from './http.util';
import { SignedInGuard } from './signed-in.guard';

/** The demo's JSON API over the signed-in user's connections (401 when signed out). */
@Controller('api')
@UseGuards(SignedInGuard)
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  /** `GET /api/connections`: `[{ provider, title, connected, expiresAt, scope }]`. */
  @Get('connections')
  list(): Promise<Connection[]> {
    return this.connections.list();
  }

  /** `GET /api/{provider}/profile`: the provider's user info, fetched with the user's token. */
  @Get(':provider/profile')
  async profile(@Param('provider') provider: string): Promise<unknown> {
    return (await this.connections.profile(provider)).body;
  }

  /** `POST /api/{provider}/disconnect`: deletes (and revokes) the user's token. */
  @Post(':provider/disconnect')
  async disconnect(
    @Param('provider') provider: string,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    formResult(request, response, await this.connections.disconnect(provider));
  }
}
