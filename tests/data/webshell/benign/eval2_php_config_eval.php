<?php
// Legacy installer: evaluates the constants file it generated itself.
$defaults = "define('DB_HOST', 'localhost');\ndefine('DB_NAME', 'portal');\n";
if (!defined('DB_HOST')) { eval($defaults); }
echo DB_NAME;
