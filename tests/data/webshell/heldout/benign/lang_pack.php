<?php
/**
 * Bundled default language pack (compressed JSON, data only).
 */
define('LANG_PACK_ZH', 'q1ZKzs8rSUwuUbJSUHrROOX55t3POiY+2b1GSUcBKFVQWZSZngGWfN7Z8Wxu87POhmdzOkGSOfnp+aVgmZcNDU/bd4HE8lLLi0Eiz6ZteDl999OuFc8aGsHi+SWZyakQtbOez1/6tHXN04ldIJni1MSi5Aywnglznm9ZBBIrT81Jzs8FK3+2ZtGL/X3Pmla839NTnZeYm1qrVAsA');

function lang_pack_load()
{
    $json = gzinflate(base64_decode(LANG_PACK_ZH));
    $arr = json_decode($json, true);
    return is_array($arr) ? $arr : array();
}
