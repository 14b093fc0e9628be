import { Controller, Get, Param, Post, Req, Res, Type } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DanceService } from './dance.service';

/**
 * Makes the controller of the dance routes under `loginPath`: `GET {loginPath}/:name`
 * starts the dance, `GET {loginPath}/:name/authorized` is the provider's callback.
 * A class per module, so each app may choose its own prefix.
 */
export function createDanceController(loginPath: string): Type<unknown> {
  @Controller(loginPath || '/')
  class DanceController {
    constructor(readonly dance: DanceService) {}

    /** Redirects to the provider. */
    @Get(':blueprint')
    login(
      @Param('blueprint') name: string,
      @Req() request: Request,
      @Res() response: Response,
    ) {
      return this.dance.login(name, request, response);
    }

    /** Handles the provider's redirect back. */
    @Get(':blueprint/authorized')
    authorized(
      @Param('blueprint') name: string,
      @Req() request: Request,
      @Res() response: Response,
    ) {
      return this.dance.callback(name, request, response);
    }

    /** The provider's answer posted back (`response_mode=form_post`, Sign in with Apple). */
    @Post(':blueprint/authorized')
    formPost(
      @Param('blueprint') name: string,
      @Req() request: Request,
      @Res() response: Response,
    ) {
      return this.dance.formPostCallback(name, request, response);
    }
  }
  return DanceController;
}
